package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// setLocalInfile sets the server's global local_infile for this test and
// puts back what it was when the test ends (the test servers start with
// it off, a production MariaDB has it on).
func setLocalInfile(t *testing.T, db *sql.DB, on bool) {
	t.Helper()
	var was int
	if err := db.QueryRow("SELECT @@GLOBAL.local_infile").Scan(&was); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("SET GLOBAL local_infile = ?", was); err != nil {
			t.Errorf("putting local_infile back to %d: %v", was, err)
		}
	})
	if _, err := db.Exec("SET GLOBAL local_infile = ?", map[bool]int{true: 1, false: 0}[on]); err != nil {
		t.Fatal(err)
	}
}

// infileFixture is a database of an InnoDB table and a MyISAM table, each
// big enough that its INSERTs are LOAD DATA candidates, with the values
// LOAD DATA must keep apart (NULL and 'NULL', backslashes, tabs, UTF-8).
func infileFixture(t *testing.T) *fixture {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE big (id INT PRIMARY KEY, name VARCHAR(80), note TEXT NULL, n INT NULL) ENGINE=InnoDB",
		"CREATE TABLE flat (id INT PRIMARY KEY, name VARCHAR(80)) ENGINE=MyISAM")
	for _, tb := range []struct {
		name string
		rows int
		row  func(i int) string
	}{
		{"big", 3000, func(i int) string {
			note, n := "NULL", "NULL"
			if i%3 == 1 {
				note, n = "'NULL'", fmt.Sprint(-i)
			} else if i%3 == 2 {
				note, n = "'a\\\\b\\tc Åse 🚣 \\\\N'", "0"
			}
			return fmt.Sprintf("(%d,'row %d of big',%s,%s)", i, i, note, n)
		}},
		{"flat", 1000, func(i int) string { return fmt.Sprintf("(%d,'row %d of the MyISAM table')", i, i) }},
	} {
		vals := make([]string, tb.rows)
		for i := range vals {
			vals[i] = tb.row(i + 1)
		}
		d.MustExec(t, "INSERT INTO "+tb.name+" VALUES "+strings.Join(vals, ","))
	}
	f := &fixture{db: d, dir: filepath.Join(t.TempDir(), "backups")}
	f.config = writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nname = %q\n\n[backup]\ndir = %q\nkeep = 3\nsigning_key = %q\n",
		d.Server.Socket, d.Name, f.dir, filepath.Join(filepath.Dir(f.dir), "signing.key")), 0o600)
	t.Cleanup(func() { dropLifeboatSchemas(t, d) })
	return f
}

// dropLifeboatSchemas drops the swap's kept schemas of d.
func dropLifeboatSchemas(t *testing.T, d *testdb.DB) {
	rows, err := d.DB.Query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?", d.Name+"\\_\\_lifeboat%")
	if err != nil {
		t.Error(err)
		return
	}
	var names []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		names = append(names, s)
	}
	rows.Close()
	for _, s := range names {
		d.DB.Exec("DROP DATABASE `" + s + "`")
	}
}

// TestInfileRestoreJSON (issue 18): restore --json says how many rows went
// as LOAD DATA LOCAL INFILE. With local_infile ON, every row of the
// InnoDB table does (swap and in place), the MyISAM table's rows do not;
// with SET GLOBAL local_infile=0 none do, and the data still round-trips
// exactly. check warns while it is off and is OK again once it is on.
// The global is put back as it was.
func TestInfileRestoreJSON(t *testing.T) {
	f := infileFixture(t)
	setLocalInfile(t, f.db.DB, true)
	want := checksum(t, f.db, "big", "flat")
	b, _ := jsonReply[backupReply](t, f, "backup")
	spoil := func() {
		f.db.MustExec(t, "UPDATE big SET name = 'changed', note = NULL WHERE id % 7 = 0", "DELETE FROM big WHERE id > 2900", "DELETE FROM flat WHERE id < 10")
		if checksum(t, f.db, "big", "flat") == want {
			t.Fatal("the change did not change the checksums")
		}
	}
	for _, c := range []struct {
		name     string
		args     []string
		mode     string
		loadData int64
	}{
		{"local_infile on, swap", nil, "swap", 3000},
		{"local_infile on, in place", []string{"--in-place"}, "in-place", 3000},
		{"local_infile off, swap", nil, "swap", 0},
	} {
		if c.loadData == 0 {
			setLocalInfile(t, f.db.DB, false)
		}
		spoil()
		res, raw := jsonReply[restoreReply](t, f, append([]string{"restore", b.Backup.Filename, "--yes"}, c.args...)...)
		fields(t, sub(t, raw, "restore"), "load_data_rows", "rows")
		r := res.Restore
		if r.Mode != c.mode || r.Rows != 4000 || r.LoadDataRows != c.loadData {
			t.Errorf("%s: mode %s, %d rows, load_data_rows %d; want %s, 4000 rows, %d by LOAD DATA", c.name, r.Mode, r.Rows, r.LoadDataRows, c.mode, c.loadData)
		}
		if got := checksum(t, f.db, "big", "flat"); got != want {
			t.Errorf("%s: checksums %s after the restore, want %s", c.name, got, want)
		}
		t.Logf("%s: %d of %d rows by LOAD DATA in %d ms", c.name, r.LoadDataRows, r.Rows, r.DurationMS)
		dropLifeboatSchemas(t, f.db)
	}
	// local_infile is off now: check warns, names the setting, exits 1.
	r := f.run(t, "check", "--json")
	rep := decodeJSON[checkReply](t, r)
	if r.code != checkExitWarning || rep.Status != "WARNING" || len(rep.Problems) != 1 || rep.Problems[0].Check != "local_infile" ||
		!strings.Contains(rep.Problems[0].Message, "SET GLOBAL local_infile=1") {
		t.Errorf("check with local_infile off: code %d %+v", r.code, rep)
	}
	setLocalInfile(t, f.db.DB, true)
	t.Logf("off: %s", rep.Summary)
	r = f.run(t, "check")
	t.Logf("on: %s", strings.TrimSpace(r.stdout))
	if r.code != checkExitOK || !strings.HasPrefix(r.stdout, "LIFEBOAT OK - ") || !strings.Contains(r.stdout, "local_infile ON") {
		t.Errorf("check with local_infile on: code %d %q", r.code, r.stdout)
	}
}
