package engine

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// holdAtLock makes the next action of kind a stop once it holds its locks,
// until release is closed; locked is closed when it gets there.
func holdAtLock(t *testing.T, a Action) (locked, release chan struct{}) {
	t.Helper()
	locked, release = make(chan struct{}), make(chan struct{})
	fired := false
	testHookLocked = func(ctx context.Context, got Action) {
		if got != a || fired {
			return
		}
		fired = true
		close(locked)
		<-release
	}
	t.Cleanup(func() { testHookLocked = nil })
	return locked, release
}

// serverLockFree asks the server whether the database's lock is free.
func serverLockFree(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var free sql.NullInt64
	if err := db.QueryRow("SELECT IS_FREE_LOCK(?)", serverLockName(name)).Scan(&free); err != nil {
		t.Fatal(err)
	}
	return free.Int64 == 1
}

// TestTrust15SecondConfigWaitsForRestore: issue 11 item 15. Two configs
// with different backup.dirs on one database: a backup from the second is
// refused while the first restores (the directory locks differ, the
// server lock does not), and one that may wait runs after the restore and
// holds what the restore put back, never a half-restored database.
func TestTrust15SecondConfigWaitsForRestore(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))",
		"INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d')")
	first := backupEngine(t, d, "gzip")
	second := backupEngine(t, d, "gzip")
	if first.dir() == second.dir() {
		t.Fatal("the two configs share a backup.dir; the test proves nothing")
	}
	b, err := first.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "DELETE FROM t WHERE id > 1")

	locked, release := holdAtLock(t, ActionRestore)
	restored := make(chan error, 1)
	go func() {
		_, err := first.Restore(ctx, b.Filename, RestoreOptions{NoSafetyBackup: true}, nil)
		restored <- err
	}()
	select {
	case <-locked:
	case err := <-restored:
		t.Fatalf("restore ended before it held its locks: %v", err)
	}
	if serverLockFree(t, d.DB, d.Name) {
		t.Fatal("a running restore does not hold the server lock")
	}

	// No wait: refused at once, naming the database and the holder.
	saved := backupLockWait
	backupLockWait = 0
	_, err = second.Backup(ctx, BackupOptions{}, nil)
	backupLockWait = saved
	if !errors.Is(err, ErrDatabaseBusy) || !errors.Is(err, catalog.ErrBusy) ||
		!strings.Contains(err.Error(), `database "`+d.Name+`"`) || !strings.Contains(err.Error(), "connection ") ||
		!strings.Contains(err.Error(), "root@localhost") {
		t.Fatalf("backup from a second config during a restore: %v", err)
	}
	if ents, _ := audit.Read(second.dir(), 1); len(ents) != 1 || ents[0].Action != "create" || ents[0].Result != "refused" {
		t.Errorf("the refused backup's audit line: %+v", ents)
	}
	if list, _ := second.List(ctx, 0); len(list) != 0 {
		t.Errorf("the refused backup left files: %+v", list)
	}

	// With a wait: it queues on the server lock until the restore is done.
	type backupDone struct {
		res BackupResult
		err error
	}
	waited := make(chan backupDone, 1)
	go func() {
		res, err := second.Backup(ctx, BackupOptions{}, nil)
		waited <- backupDone{res, err}
	}()
	deadline := time.Now().Add(30 * time.Second) // hang guard only
	for {
		var n int
		if err := d.DB.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK(%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		select {
		case r := <-waited:
			t.Fatalf("backup from a second config ran during a restore: %+v, %v", r.res, r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the second backup never waited for the server lock")
		}
		time.Sleep(20 * time.Millisecond) // polling the server's state, not synchronising on time
	}
	close(release)
	if err := <-restored; err != nil {
		t.Fatal(err)
	}
	r := <-waited
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.res.Rows != 4 {
		t.Errorf("the backup that waited holds %d rows, want the 4 the restore put back", r.res.Rows)
	}
	if !serverLockFree(t, d.DB, d.Name) {
		t.Error("the server lock is still held after both actions")
	}
}

// TestTrust15EveryDatabaseActionHoldsTheServerLock: issue 11 item 15.
// Backup, restore, project backup and project restore hold the database's
// server lock while they work; the file-only actions do not need the server.
func TestTrust15EveryDatabaseActionHoldsTheServerLock(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.02)
	held := map[Action]bool{}
	testHookLocked = func(ctx context.Context, a Action) { held[a] = !serverLockFree(t, d.DB, d.Name) }
	defer func() { testHookLocked = nil }()

	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Verify(ctx, b.Filename, VerifyOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	pb, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ProjectRestore(ctx, "1", pb.Filename, ProjectRestoreOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.Cat(ctx, b.Filename, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Prune(ctx, PruneOptions{Keep: 1}); err != nil {
		t.Fatal(err)
	}
	for a, want := range map[Action]bool{ActionCreate: true, ActionRestore: true, ActionProjectBackup: true,
		ActionProjectRestore: true, ActionVerify: false, ActionDownload: false, ActionPrune: false} {
		if got, ran := held[a]; !ran || got != want {
			t.Errorf("%s: ran %v, held the server lock %v, want %v", a, ran, got, want)
		}
	}
	if !serverLockFree(t, d.DB, d.Name) {
		t.Error("the server lock is still held after the actions")
	}
}
