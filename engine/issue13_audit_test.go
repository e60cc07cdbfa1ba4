package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestIssue13Item11FailedBackupIsLoggedUnderItsPartialFile: a backup that
// fails (the disk fills) is logged under the partial file that existed
// while it ran, saying the intended name was never written, not under a
// backup name that no one can find.
func TestIssue13Item11FailedBackupIsLoggedUnderItsPartialFile(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))", "INSERT INTO t SELECT seq, REPEAT('x', 150) FROM seq_1_to_2000")
	e := backupEngine(t, d, "none")
	orig := createFile
	var intended string
	createFile = func(dir, name string) (backupFile, error) {
		intended = name
		f, err := orig(dir, name)
		if err != nil {
			return nil, err
		}
		return &bkFullFile{backupFile: f, limit: 4096, path: filepath.Join(dir, name+safefile.PartialSuffix)}, nil
	}
	_, err := e.Backup(context.Background(), BackupOptions{}, nil)
	createFile = orig
	if err == nil || intended == "" {
		t.Fatalf("the backup on a full disk: %v (name %q)", err, intended)
	}
	ents, _ := audit.Read(e.dir(), 1)
	if len(ents) != 1 || ents[0].Action != "create" || ents[0].Result != "failed" {
		t.Fatalf("audit: %+v", ents)
	}
	en := ents[0]
	if en.Object != intended+".partial" || !strings.Contains(en.Detail, intended+" was never written") {
		t.Errorf("the failed backup is logged as %q (%q), want %q and that %s was never written", en.Object, en.Detail, intended+".partial", intended)
	}
	for _, n := range []string{intended, intended + ".partial"} {
		if _, err := os.Stat(filepath.Join(e.dir(), n)); !os.IsNotExist(err) {
			t.Errorf("%s is on disk after the failed backup: %v", n, err)
		}
	}
}

// TestIssue13Item11SafetyBackupIsLoggedWithItsDuration: the safety backup a
// restore takes has its own audit line with the time it really took: more
// than zero, and no more than the restore around it.
func TestIssue13Item11SafetyBackupIsLoggedWithItsDuration(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(200))", "INSERT INTO t SELECT seq, REPEAT('x', 150) FROM seq_1_to_20000")
	e := backupEngine(t, d, "gzip")
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err != nil || res.SafetyBackup == "" {
		t.Fatalf("restore: %+v, %v", res, err)
	}
	ents, _ := audit.Read(e.dir(), 0)
	var safety, restore *audit.Entry
	for i := range ents {
		switch {
		case ents[i].Action == "create" && ents[i].Object == res.SafetyBackup:
			safety = &ents[i]
		case ents[i].Action == "restore":
			restore = &ents[i]
		}
	}
	if safety == nil || restore == nil {
		t.Fatalf("no audit line for the safety backup %s or the restore: %+v", res.SafetyBackup, ents)
	}
	if safety.DurationMS <= 0 || safety.DurationMS > restore.DurationMS || safety.Detail != "safety" {
		t.Errorf("safety backup logged with duration_ms %d (restore %d), detail %q", safety.DurationMS, restore.DurationMS, safety.Detail)
	}
}
