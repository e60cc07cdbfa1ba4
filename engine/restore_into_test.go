package engine

import (
	"context"
	"maps"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// TestRestoreIntoExistingDatabaseTakesItsSafetyBackup: --into a database
// that exists replaces it, so its current state is backed up first, and
// that safety backup brings it back.
func TestRestoreIntoExistingDatabaseTakesItsSafetyBackup(t *testing.T) {
	d := bkTorture(t)
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := d.Name + "_other"
	root, err := d.Server.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	for _, q := range []string{
		"CREATE DATABASE `" + other + "`",
		"CREATE TABLE `" + other + "`.keepme (id INT PRIMARY KEY, v VARCHAR(10))",
		"INSERT INTO `" + other + "`.keepme VALUES (1,'precious'),(2,'data')",
	} {
		if _, err := root.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { root.Exec("DROP DATABASE IF EXISTS `" + other + "`") })
	before := bkChecksums(t, d.Server, other)

	plan, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{Into: other})
	if err != nil {
		t.Fatal(err)
	}
	if !plan.SafetyBackup || plan.Database != other || len(plan.Warnings) == 0 {
		t.Fatalf("plan for --into an existing database: %+v", plan)
	}
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{Into: other}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.SafetyBackup == "" {
		t.Fatal("no safety backup of the --into database")
	}
	m, err := catalog.ReadManifest(e.dir(), res.SafetyBackup)
	if err != nil || len(m.Databases) != 1 || m.Databases[0] != other || m.Tables["keepme"] != 2 {
		t.Fatalf("safety backup manifest %+v (%v): want database %q with keepme's 2 rows", m, err, other)
	}
	if !maps.Equal(bkChecksums(t, d.Server, other), bkChecksums(t, d.Server, d.Name)) {
		t.Fatal("--into did not make the other database equal the backup")
	}
	if _, err := e.Restore(ctx, res.SafetyBackup, RestoreOptions{Into: other, NoSafetyBackup: true}, nil); err != nil {
		t.Fatal(err)
	}
	if got := bkChecksums(t, d.Server, other); !maps.Equal(got, before) {
		t.Fatalf("the safety backup did not bring the database back: %v, want %v", got, before)
	}
}

// TestRestoreProgressKnowsItsTotals: both phases of a restore (checking the
// file, then loading it) report bytes out of a known total, so the screen
// can show a percentage and time left rather than an empty bar.
func TestRestoreProgressKnowsItsTotals(t *testing.T) {
	d := bkTorture(t)
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	final := map[string]progress.Snapshot{}
	_, err = e.Restore(ctx, b.Filename, RestoreOptions{NoSafetyBackup: true}, func(s progress.Snapshot) {
		if s.Done {
			final[s.Op] = s
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"verify", "restore"} {
		s, ok := final[op]
		if !ok || s.BytesTotal != b.Size || s.Bytes != b.Size || s.Fraction() != 1 {
			t.Errorf("%s phase final report %+v: want %d of %d bytes", op, s, b.Size, b.Size)
		}
	}
}
