package engine

import (
	"bytes"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestSwapRoundTrip restores the torture schema (with a trigger that
// writes to another table, routines, an event, views on views and
// sequences) from lifeboat's own backup and from a foreign mariadb-dump
// file, each in swap mode and in place: all four end with the source's
// fingerprint (CHECKSUM TABLE, SHOW CREATE of every table and object).
func TestSwapRoundTrip(t *testing.T) {
	d := bkTorture(t)
	// The torture schema has a trigger, routines, an event, views on views,
	// sequences and a foreign key; one more trigger writes to another table.
	d.MustExec(t, "CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(20))",
		"CREATE TABLE src (id INT PRIMARY KEY)",
		"CREATE TRIGGER src_ai AFTER INSERT ON src FOR EACH ROW BEGIN INSERT INTO audit (note) VALUES (CONCAT('ins;', NEW.id)); END",
		"INSERT INTO src SELECT seq FROM seq_1_to_300")
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
		d.MustExec(t, "DELETE FROM src WHERE id = 1", "CREATE TABLE stray (id INT)", "DROP EVENT nightly")
		if maps.Equal(want, swapFingerprint(t, d, d.Name)) {
			t.Fatal("the change did not change the fingerprint")
		}
		res, err := e.Restore(ctx, c.file, RestoreOptions{InPlace: c.inPlace}, nil)
		if err != nil {
			t.Fatalf("%s in place %v: %v", c.file, c.inPlace, err)
		}
		if wantMode := map[bool]string{false: ModeSwap, true: ModeInPlace}[c.inPlace]; res.Mode != wantMode {
			t.Fatalf("%s: mode %q (%s), want %s", c.file, res.Mode, res.ModeReason, wantMode)
		}
		t.Logf("%s %s: %v (window %v)", c.file, res.Mode, res.Duration, res.SwapWindow)
		got[c.file+" "+res.Mode] = swapFingerprint(t, d, d.Name)
	}
	// lifeboat's own backup gives the source back exactly, in both modes.
	sameFingerprint(t, want, got[b.Filename+" swap"])
	sameFingerprint(t, want, got[b.Filename+" in-place"])
	// The foreign file gives the same in both modes; against the source it
	// differs only where mariadb-dump loses FLOAT digits (table nums; the
	// stock client loses them too).
	sameFingerprint(t, got[foreign+" in-place"], got[foreign+" swap"])
	for k, v := range want {
		if got[foreign+" swap"][k] != v && k != "table nums" {
			t.Errorf("foreign file: %s differs from the source", k)
		}
	}
}

func mariadbDumpOf(t *testing.T, d *testdb.DB) []byte {
	t.Helper()
	bin, err := sandbox.FindBinary("mariadb-dump")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--no-defaults", "--socket="+d.Server.Socket, "-uroot", "--routines", "--triggers", "--events", "--databases", d.Name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	return out
}
