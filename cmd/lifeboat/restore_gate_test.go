package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// gateDump writes `mariadb-dump args...` into the fixture's backup.dir.
func gateDump(t *testing.T, f *fixture, d *testdb.DB, name string, args ...string) {
	t.Helper()
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("mariadb-dump", append([]string{"--no-defaults", "--socket=" + d.Server.Socket, "-uroot"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	if err := os.WriteFile(filepath.Join(f.dir, name), out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestTrust07RestoreYesRefusesAnotherDatabaseWithoutInto: `restore NAME
// --yes` of a dump of another database is refused, telling the user to
// name the target with --into; with --into it restores.
func TestTrust07RestoreYesRefusesAnotherDatabaseWithoutInto(t *testing.T) {
	f := newFixture(t, "")
	other := testdb.New(t)
	other.MustExec(t, "CREATE TABLE theirs (id INT PRIMARY KEY)", "INSERT INTO theirs VALUES (7)")
	gateDump(t, f, other, "other.sql", "--databases", other.Name)
	before := checksum(t, f.db, "customers", "orders")
	r := f.run(t, "restore", "other.sql", "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "backup of database") || !strings.Contains(r.stderr, "--into") {
		t.Fatalf("restore --yes of another database: code %d, stderr %q", r.code, r.stderr)
	}
	if checksum(t, f.db, "customers", "orders") != before {
		t.Fatal("the refused restore changed the database")
	}
	if r := f.run(t, "restore", "other.sql", "--yes", "--into", f.db.Name, "--no-safety-backup"); r.code != 0 {
		t.Fatalf("restore --into: code %d, stderr %q", r.code, r.stderr)
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM theirs").Scan(&n); err != nil || n != 1 {
		t.Errorf("theirs: %d rows (%v)", n, err)
	}
}

// TestTrust11AcceptUnterminatedFlag: a --skip-comments dump is refused as
// not provably complete; --accept-unterminated restores it.
func TestTrust11AcceptUnterminatedFlag(t *testing.T) {
	f := newFixture(t, "")
	gateDump(t, f, f.db, "skip.sql", "--skip-comments", f.db.Name)
	before := checksum(t, f.db, "customers", "orders")
	f.db.MustExec(t, "UPDATE customers SET name = 'changed'")
	r := f.run(t, "restore", "skip.sql", "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "cannot be proven complete") || !strings.Contains(r.stderr, "--accept-unterminated") {
		t.Fatalf("restore of an unterminated dump: code %d, stderr %q", r.code, r.stderr)
	}
	if r := f.run(t, "restore", "skip.sql", "--yes", "--accept-unterminated", "--strip-definers"); r.code != 0 {
		t.Fatalf("--accept-unterminated: code %d, stderr %q", r.code, r.stderr)
	}
	if checksum(t, f.db, "customers", "orders") != before {
		t.Error("the restore did not bring the dump's rows back")
	}
}
