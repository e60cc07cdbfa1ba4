package engine

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestSwapLoadDataRoundTrip is TestSwapRoundTrip on a server with
// local_infile on, so that the loader sends the rows as LOAD DATA (issue
// 18): the torture schema, its value tables grown to a few hundred rows
// each so that their INSERTs are big enough, restored from lifeboat's
// backup and from a mariadb-dump file, in swap mode and in place, ends
// with the same fingerprints as with INSERTs; the server counts LOAD DATA
// statements for every restore. Its name is short on purpose: a swap falls
// back to in place for a database name over 33 characters, and the test
// database is named after the test.
func TestSwapLoadDataRoundTrip(t *testing.T) {
	srv := testdb.NewServer(t, sandbox.Options{Extra: []string{"--local-infile=1"}})
	d := testdb.NewOn(t, srv)
	f, err := os.Open("dump/testdata/torture.sql")
	if err != nil {
		t.Fatal(err)
	}
	testdb.LoadSQL(t, d.Server, d.Name, f)
	f.Close()
	for _, table := range []string{"ints", "nums", "bits_and_time", "strings", "latin", "geo"} {
		growTable(t, d, table, 150)
	}
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := swapFingerprint(t, d, d.Name)
	foreign := "foreign.sql"
	if err := os.WriteFile(filepath.Join(e.dir(), foreign), mariadbDumpOf(t, d), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropKept(t, d) })
	got := map[string]map[string]string{}
	for _, c := range []struct {
		file    string
		inPlace bool
	}{{b.Filename, false}, {b.Filename, true}, {foreign, false}, {foreign, true}} {
		d.MustExec(t, "DELETE FROM nums WHERE id = 1", "CREATE TABLE stray (id INT)")
		before := comLoad(t, d.DB)
		res, err := e.Restore(ctx, c.file, RestoreOptions{InPlace: c.inPlace}, nil)
		if err != nil {
			t.Fatalf("%s in place %v: %v", c.file, c.inPlace, err)
		}
		loads := comLoad(t, d.DB) - before
		if loads == 0 {
			t.Errorf("%s in place %v: no LOAD DATA ran on a local_infile server", c.file, c.inPlace)
		}
		if want := map[bool]string{true: "in-place", false: "swap"}[c.inPlace]; res.Mode != want {
			t.Fatalf("%s: ran %s, want %s (%s)", c.file, res.Mode, want, res.ModeReason)
		}
		t.Logf("%s %s: %d LOAD DATA statements, %v", c.file, res.Mode, loads, res.Duration)
		got[c.file+" "+res.Mode] = swapFingerprint(t, d, d.Name)
	}
	sameFingerprint(t, want, got[b.Filename+" swap"])
	sameFingerprint(t, want, got[b.Filename+" in-place"])
	sameFingerprint(t, got[foreign+" in-place"], got[foreign+" swap"])
	for k, v := range want {
		if got[foreign+" swap"][k] != v && k != "table nums" { // mariadb-dump loses FLOAT digits
			t.Errorf("foreign file: %s differs from the source", k)
		}
	}
}

// growTable adds n copies of every row with the id moved up, so that one
// INSERT of the table holds many rows.
func growTable(t *testing.T, d *testdb.DB, table string, n int) {
	t.Helper()
	rows, err := d.DB.Query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION", d.Name, table)
	if err != nil {
		t.Fatal(err)
	}
	var cols, sel []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, "`"+c+"`")
		if c == "id" {
			sel = append(sel, "x.id + 1000 * s.seq")
		} else {
			sel = append(sel, "x.`"+c+"`")
		}
	}
	rows.Close()
	d.MustExec(t, fmt.Sprintf("INSERT INTO `%s` (%s) SELECT %s FROM `%s` x JOIN seq_1_to_%d s", table, strings.Join(cols, ","), strings.Join(sel, ","), table, n))
}

// comLoad is the server's count of LOAD DATA statements so far.
func comLoad(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	var name string
	var n int64
	if err := db.QueryRow("SHOW GLOBAL STATUS LIKE 'Com_load'").Scan(&name, &n); err != nil {
		t.Fatal(err)
	}
	return n
}
