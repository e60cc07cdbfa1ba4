package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// realBackup takes a backup of the fixture's database with e.Backup.
func (f *catFixture) realBackup(t *testing.T) (string, []byte) {
	t.Helper()
	br, err := f.e.Backup(context.Background(), BackupOptions{NoPrune: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(mustRead(t, br.Path)))
	if err != nil {
		t.Fatal(err)
	}
	sql, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return br.Filename, sql
}

// doctor writes sql as a new backup next to the real one, with a copy of
// the real manifest whose sha256 and size are recomputed and re-signed: a
// file this host wrote wrong, which only verify --restore can catch.
func (f *catFixture) doctor(t *testing.T, real string, at time.Time, sql []byte) string {
	t.Helper()
	m, err := catalog.ReadManifest(f.dir, real)
	if err != nil {
		t.Fatal(err)
	}
	name := catalog.BackupName(at.In(f.e.Loc), "gzip")
	file := catGzip(t, sql)
	if err := os.WriteFile(filepath.Join(f.dir, name), file, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(file)
	m.Filename, m.SHA256, m.Size, m.Verify = name, hex.EncodeToString(sum[:]), int64(len(file)), nil
	// Signed with this host's key: verify --restore must catch what the
	// signature cannot (a file this host itself wrote wrong).
	if err := f.e.saveManifest(m); err != nil {
		t.Fatal(err)
	}
	return name
}

// beforeFooter inserts extra just before the dump's closing SET lines.
func beforeFooter(t *testing.T, sql []byte, extra string) []byte {
	t.Helper()
	i := bytes.LastIndex(sql, []byte("\n/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;"))
	if i < 0 {
		t.Fatal("no footer in the dump")
	}
	return append(append(append([]byte(nil), sql[:i]...), "\n"+extra+"\n"...), sql[i:]...)
}

// failed lists the checks that failed (information lines aside).
func failed(res VerifyResult) []string {
	var out []string
	for _, c := range res.Checks {
		if !c.OK && !c.Info {
			out = append(out, c.Name)
		}
	}
	return out
}

func checkNamed(res VerifyResult, name string) Check {
	for _, c := range res.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{Name: name, Detail: "(no such check)"}
}

// TestTrust03RestoreCopyHoldsExactlyTheManifestsObjects: the manifest
// records the views, routines, triggers, events and sequences of the
// database, and verify --restore fails a file that creates an object the
// manifest does not name, or lacks one it names, even when every row
// count matches.
func TestTrust03RestoreCopyHoldsExactlyTheManifestsObjects(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	f.db.MustExec(t,
		"CREATE VIEW big_orders AS SELECT id FROM orders WHERE id > 100",
		"CREATE PROCEDURE bump() SELECT COUNT(*) FROM orders",
		"CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN 2*x",
		"CREATE TRIGGER orders_bi BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, '')",
		"CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM orders WHERE id < 0",
		"CREATE SEQUENCE ticket",
	)
	real, sql := f.realBackup(t)
	m, err := catalog.ReadManifest(f.dir, real)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"view": {"big_orders"}, "procedure": {"bump"}, "function": {"twice"},
		"trigger": {"orders_bi"}, "event": {"nightly"}, "sequence": {"ticket"}}
	if fmt.Sprint(m.Objects) != fmt.Sprint(want) {
		t.Fatalf("manifest objects %v, want %v", m.Objects, want)
	}
	res, err := f.e.Verify(ctx, real, VerifyOptions{Restore: true}, nil)
	if err != nil || !res.OK {
		t.Fatalf("verify --restore of a real backup: %v %+v", err, res.Checks)
	}
	good := checkNamed(res, "objects")

	base := time.Now().Add(time.Hour).Truncate(time.Second)
	// Extra objects, no extra rows: the one-pass counts cannot see them.
	extra := f.doctor(t, real, base, beforeFooter(t, sql,
		"CREATE TABLE `stowaway` (id INT);\nCREATE VIEW `peek` AS SELECT 1 AS x;"))
	res, err = f.e.Verify(ctx, extra, VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := checkNamed(res, "objects")
	if res.OK || fmt.Sprint(failed(res)) != "[objects]" || !strings.Contains(c.Detail, "table `stowaway`") || !strings.Contains(c.Detail, "view `peek`") {
		t.Fatalf("extra objects: failed %v, objects check %+v", failed(res), c)
	}

	// A missing object: the procedure's definition cut out of the file.
	re := regexp.MustCompile("(?s)CREATE DEFINER=[^\n]*PROCEDURE `bump`\\(\\).*? ;;\n")
	cut := re.ReplaceAll(sql, nil)
	if bytes.Equal(cut, sql) {
		t.Fatal("found no procedure to cut out")
	}
	missing := f.doctor(t, real, base.Add(time.Second), cut)
	res, err = f.e.Verify(ctx, missing, VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c = checkNamed(res, "objects")
	if res.OK || fmt.Sprint(failed(res)) != "[objects]" || !strings.Contains(c.Detail, "missing from the copy: procedure `bump`") {
		t.Fatalf("missing procedure: failed %v, objects check %+v", failed(res), c)
	}
	if !good.OK || !strings.Contains(good.Detail, "1 view") || !strings.Contains(good.Detail, "1 trigger") {
		t.Fatalf("objects check of the real backup: %+v", good)
	}
}

// TestTrust09ChecksumsCatchValuesThatDidNotComeBack: a backup whose file
// was changed so that the load silently alters values (a narrowed column
// truncates them) restores with the right row counts and objects. The
// checksums check compares the file's rows with a dump of the restored
// copy, so it fails and names the table.
func TestTrust09ChecksumsCatchValuesThatDidNotComeBack(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	real, sql := f.realBackup(t)
	res, err := f.e.Verify(ctx, real, VerifyOptions{Restore: true}, nil)
	if err != nil || !res.OK {
		t.Fatalf("real backup: %v, %+v", err, res.Checks)
	}
	good := checkNamed(res, "checksums")
	narrowed := bytes.Replace(sql, []byte("`name` varchar(50)"), []byte("`name` varchar(2)"), 1)
	if bytes.Equal(narrowed, sql) {
		t.Fatal("found no column to narrow")
	}
	doctored := f.doctor(t, real, time.Now().Add(time.Hour), narrowed)
	res, err = f.e.Verify(ctx, doctored, VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := checkNamed(res, "checksums")
	if res.OK || fmt.Sprint(failed(res)) != "[checksums]" || !strings.Contains(c.Detail, "`customers`") || strings.Contains(c.Detail, "`orders`") {
		t.Fatalf("narrowed column: failed %v, checksums %+v", failed(res), c)
	}
	if s := f.states(t)[doctored]; s != catalog.StateCorrupt {
		t.Errorf("doctored backup lists as %s, want corrupt", s)
	}
	if !good.OK || good.Info || !strings.Contains(good.Detail, "253 rows") {
		t.Fatalf("checksums of the real backup: %+v", good)
	}
}

// TestHonest08NoVacuousRestoreChecks: for a foreign file (no manifest)
// the restored row counts are compared with the rows the file INSERTs, so
// rows lost on the way fail the check; and a comparison that cannot be
// made (a foreign dump's text differs from lifeboat's) is information:
// not OK, not failing, and not counted among the passed checks.
func TestHonest08NoVacuousRestoreChecks(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	const done = "-- Dump completed on 2026-11-23  2:00:00\n"
	lossy := "CREATE TABLE t (id INT PRIMARY KEY, note VARCHAR(10));\n" +
		"INSERT IGNORE INTO t VALUES (1,'a'),(1,'b'),(2,'c');\n" + done
	os.WriteFile(filepath.Join(f.dir, "lossy.sql.gz"), catGzip(t, []byte(lossy)), 0o600)
	res, err := f.e.Verify(ctx, "lossy.sql.gz", VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := checkNamed(res, "restored row counts")
	if res.OK || c.OK || !strings.Contains(c.Detail, "2 rows restored, 3 in the file") {
		t.Fatalf("rows lost in a foreign file: ok=%v, count check %+v", res.OK, c)
	}

	// Same values, other text: 1.50 comes back from DECIMAL(5,2) as 1.50
	// but 7 is written 7.00 by any dump of the copy.
	foreign := "CREATE TABLE p (id INT PRIMARY KEY, price DECIMAL(5,2));\n" +
		"INSERT INTO p VALUES (1,7),(2,1.5);\n" + done
	os.WriteFile(filepath.Join(f.dir, "foreign.sql.gz"), catGzip(t, []byte(foreign)), 0o600)
	res, err = f.e.Verify(ctx, "foreign.sql.gz", VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c = checkNamed(res, "checksums")
	if !res.OK || c.OK || !c.Info || !strings.Contains(c.Detail, "not compared bit for bit") {
		t.Fatalf("foreign text: ok=%v, checksums %+v (all: %+v)", res.OK, c, res.Checks)
	}
	if o := checkNamed(res, "objects"); o.OK || !o.Info {
		t.Fatalf("objects of a file without a manifest: %+v", o)
	}
	passed, failedN, info := res.Counts()
	if failedN != 0 || info != 2 || passed != len(res.Checks)-2 {
		t.Fatalf("counts passed=%d failed=%d info=%d of %d", passed, failedN, info, len(res.Checks))
	}
	if s := res.Summary(); s != fmt.Sprintf("%d checks passed, 2 for information only", passed) {
		t.Fatalf("summary %q", s)
	}
}

// TestTrust05VerifyRestoreWritesAndReadsNoFiles: a backup that was
// changed (manifest sha256 and size recomputed) to write a file with
// INTO OUTFILE, or to read /etc/passwd with LOAD DATA INFILE, is loaded
// by verify --restore on a throwaway server that refuses both: the
// restore fails, nothing is written, no table holds the file.
func TestTrust05VerifyRestoreWritesAndReadsNoFiles(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	real, sql := f.realBackup(t)
	victimDir := t.TempDir()
	if err := os.Chmod(victimDir, 0o777); err != nil { // the server's account could write here
		t.Fatal(err)
	}
	victim := filepath.Join(victimDir, "owned")
	base := time.Now().Add(time.Hour).Truncate(time.Second)
	for i, hostile := range []string{
		"SELECT 'owned' INTO OUTFILE '" + victim + "';",
		"CREATE TABLE `pw` (line TEXT);\nLOAD DATA INFILE '/etc/passwd' INTO TABLE `pw`;",
	} {
		name := f.doctor(t, real, base.Add(time.Duration(i)*time.Second), beforeFooter(t, sql, hostile))
		res, err := f.e.Verify(ctx, name, VerifyOptions{Restore: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c := checkNamed(res, "restore"); res.OK || c.OK {
			t.Errorf("%q: verify ok=%v, restore check %+v; want the load refused", hostile, res.OK, c)
		}
		if des, _ := os.ReadDir(victimDir); len(des) != 0 {
			t.Errorf("%q: the throwaway server wrote %s", hostile, des[0].Name())
		}
	}
	if _, err := os.Stat(victim); err == nil {
		t.Fatalf("%s was written", victim)
	}
}
