package tui

import (
	"context"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// heldBackup is a fake whose backup runs until release is closed.
func heldBackup() (*fakeBackend, chan struct{}) {
	f, release := newFake(), make(chan struct{})
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		select {
		case <-release:
			return engine.BackupResult{Filename: "backup_x.sql.gz", Size: 10}, nil
		case <-ctx.Done():
			return engine.BackupResult{}, ctx.Err()
		}
	}
	return f, release
}

func TestIssue13Item6CancelDialogClosesWhenTheJobEnds(t *testing.T) {
	f, release := heldBackup()
	d := newDriver(t, f, 80, 24)
	d.press("n", "esc")
	d.mustSee("Cancel the backup?")
	close(release)
	d.settle()
	if d.m.dialog != nil {
		t.Fatalf("the cancel dialog outlived the backup:\n%s", d.screen())
	}
	d.mustSee("backup_x.sql.gz done")
	d.mustNotSee("Cancel the backup?")
}

func TestIssue13Item6QuitDialogChangesWhenTheJobEnds(t *testing.T) {
	f, release := heldBackup()
	d := newDriver(t, f, 80, 24)
	d.press("n", "ctrl+c")
	d.mustSee("Quit lifeboat?", "still running")
	close(release)
	d.settle()
	d.mustSee("Quit lifeboat?", "has ended (done); nothing is running now")
	d.mustNotSee("still running", "partial file")
	d.press("y")
	if !d.quit {
		t.Fatal("y in the changed dialog did not quit")
	}
}

// heldVerify is a fake whose verify runs until its ctx ends.
type heldVerify struct{ *fakeBackend }

func (h heldVerify) Verify(ctx context.Context, name string, o engine.VerifyOptions, fn progress.Func) (engine.VerifyResult, error) {
	h.record("verify %s restore=%v", name, o.Restore)
	<-ctx.Done()
	return engine.VerifyResult{}, ctx.Err()
}

// Quitting during a verify says what happens (it stops; there is no
// partial file), cancels it, and the exit line says it is being stopped,
// not waited for.
func TestIssue13Item6QuitDuringVerify(t *testing.T) {
	d := newDriver(t, heldVerify{newFake()}, 80, 24)
	d.press("V", "q")
	d.mustSee("Quit lifeboat?", "quitting stops it")
	d.mustNotSee("partial file")
	d.send(keyMsg("y"))
	d.pending--
	d.send(<-d.msgs) // the quitMsg, as the program gets it before it stops
	if d.m.job == nil || d.m.job.state != jobCancelling {
		t.Fatalf("quitting did not cancel the verify: %+v", d.m.job)
	}
	if got := exitLine(d.m.job); got != "lifeboat: stopping the verify…" {
		t.Fatalf("exit line %q", got)
	}
	d.settle()
	if !d.quit {
		t.Fatal("confirming did not quit")
	}
	d.mustSee("verify cancelled")
}

// Esc on a verify offers to stop it, without a partial file either.
func TestIssue13Item6CancelVerifyWording(t *testing.T) {
	d := newDriver(t, heldVerify{newFake()}, 80, 24)
	d.press("v", "esc")
	d.mustSee("Cancel the verify?", "the backup file is not changed")
	d.mustNotSee("partial file")
}
