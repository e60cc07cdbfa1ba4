package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// waitingSeen collects the Waiting lines a progress func is told.
func waitingSeen() (progress.Func, chan string) {
	ch := make(chan string, 16)
	return func(s progress.Snapshot) {
		if s.Waiting != "" {
			select {
			case ch <- s.Waiting:
			default:
			}
		}
	}, ch
}

// restoreWhileHeld starts a restore of name by e with a long lock wait,
// returns the first waiting line it is told, then cancels it and returns
// its error.
func restoreWhileHeld(t *testing.T, e *Engine, name string) (string, error) {
	t.Helper()
	saved := restoreLockWait
	restoreLockWait = 2 * time.Minute // a hang guard: the test cancels long before
	t.Cleanup(func() { restoreLockWait = saved })
	fn, seen := waitingSeen()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := e.Restore(ctx, name, RestoreOptions{NoSafetyBackup: true}, fn)
		done <- err
	}()
	var line string
	select {
	case line = <-seen:
	case err := <-done:
		t.Fatalf("the restore ended instead of waiting: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the restore waited without saying so")
	}
	cancel()
	select {
	case err := <-done:
		return line, err
	case <-time.After(10 * time.Second):
		t.Fatal("esc (a cancelled ctx) did not end the wait")
	}
	return "", nil
}

// TestIssue13Item7RestoreSaysWhichBackupItWaitsFor: a backup holds the
// directory (another engine on the same config); a restore started now
// says "waiting for the backup started by USER at HH:MM (pid N)", read from
// the lock's holder file, and cancelling ends the wait with nothing done.
func TestIssue13Item7RestoreSaysWhichBackupItWaitsFor(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	first := backupEngine(t, d, "gzip")
	b, err := first.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := Open(first.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Close() })
	second.Who.Login = "someone-else" // the holder's name must come from the lock, not from the waiter

	locked, release := holdAtLock(t, ActionCreate)
	backed := make(chan error, 1)
	go func() { _, err := first.Backup(ctx, BackupOptions{}, nil); backed <- err }()
	<-locked
	line, err := restoreWhileHeld(t, second, b.Filename)
	close(release)
	if err := <-backed; err != nil {
		t.Fatalf("the holding backup: %v", err)
	}
	want := fmt.Sprintf("waiting for the backup started by %s at ", first.Who.Login)
	if first.Who.Login == "" || !strings.HasPrefix(line, want) || !strings.HasSuffix(line, fmt.Sprintf("(pid %d)", os.Getpid())) {
		t.Errorf("waiting line %q, want %q… (pid %d)", line, want, os.Getpid())
	}
	if at := first.clockTime(time.Now()); !strings.Contains(line, " at "+at+" ") && !strings.Contains(line, " at "+first.clockTime(time.Now().Add(-time.Minute))+" ") {
		t.Errorf("waiting line %q does not say it started at %s", line, at)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled wait: %v, want context.Canceled", err)
	}
	ents, _ := audit.Read(second.dir(), 0)
	restores := 0
	for _, en := range ents {
		if en.Action == "restore" {
			restores++
			if en.Result != "cancelled" {
				t.Errorf("the cancelled restore's audit line: %+v", en)
			}
		}
	}
	if restores != 1 {
		t.Errorf("%d restore audit lines, want 1: %+v", restores, ents)
	}
	var n int
	if err := d.DB.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Errorf("the cancelled restore touched the table: %d rows", n)
	}
}

// TestIssue13Item7RestoreSaysWhichSessionHoldsTheDatabase: another config
// (another backup.dir) works on the same database; the restore waits on
// the server lock, says which session holds it, and a cancel ends the wait
// on the server too (no GET_LOCK left queued there).
func TestIssue13Item7RestoreSaysWhichSessionHoldsTheDatabase(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	first := backupEngine(t, d, "gzip")
	second := backupEngine(t, d, "gzip")
	b, err := second.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	locked, release := holdAtLock(t, ActionCreate)
	backed := make(chan error, 1)
	go func() { _, err := first.Backup(ctx, BackupOptions{}, nil); backed <- err }()
	<-locked
	line, err := restoreWhileHeld(t, second, b.Filename)
	queued := -1
	deadline := time.Now().Add(10 * time.Second)
	for queued != 0 && time.Now().Before(deadline) {
		if err := d.DB.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT GET_LOCK(%'").Scan(&queued); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(release)
	if err := <-backed; err != nil {
		t.Fatalf("the holding backup: %v", err)
	}
	if !strings.HasPrefix(line, "waiting for connection ") || !strings.Contains(line, "root@localhost") ||
		!strings.Contains(line, `database "`+d.Name+`"`) {
		t.Errorf("waiting line %q, want the holding session and the database", line)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled wait: %v, want context.Canceled", err)
	}
	if queued != 0 {
		t.Errorf("%d GET_LOCK still waiting on the server after the cancel", queued)
	}
}
