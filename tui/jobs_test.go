package tui

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// What SIGHUP does goes through the program's ctx: a backup is cancelled
// (no partial file), a restore runs to its end and Run waits for it. Both
// jobs start from the screen's own actions (n; r, the typed name, enter),
// so the test sees the jobSpec that tui/backups_actions.go builds, not one
// of its own (issue 21 item 5). The backend hands over the ctx the job
// runs under; cancelling a parent cancels its children before cancel()
// returns, so ctx.Err() right after is the answer, with no waiting.
func TestProgramCtxCancelsBackupButNotRestore(t *testing.T) {
	for _, tc := range []struct {
		kind          string
		keys          func(d *driver)
		wantCancelled bool
		wantStatus    string
	}{
		{"backup", func(d *driver) { d.press("n") }, true, "cancelled"},
		{"restore", func(d *driver) { d.press("r"); d.typeText("app"); d.press("enter") }, false,
			"restored backup_2026-11-23_02-00-00.sql.gz into app"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			parent, cancel := context.WithCancel(context.Background())
			defer cancel()
			started := make(chan context.Context, 1)
			release := make(chan struct{})
			block := func(ctx context.Context) error {
				started <- ctx
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-release:
					return nil
				}
			}
			f := newFake()
			f.backupFn = func(ctx context.Context, _ progress.Func) (engine.BackupResult, error) {
				return engine.BackupResult{Filename: "backup_2026-11-23_05-00-00.sql.gz"}, block(ctx)
			}
			f.restoreFn = block
			d := newDriver(t, f, 80, 24)
			d.m.ctx = parent
			tc.keys(d)
			var jobCtx context.Context
			select {
			case jobCtx = <-started:
			case <-time.After(time.Minute): // hang guard
				t.Fatalf("%s: the action never reached the backend; calls %v", tc.kind, f.calls)
			}
			if !d.m.Busy() {
				t.Fatalf("%s: running, but the screen is not busy", tc.kind)
			}
			cancel() // what SIGHUP does to the program's ctx
			if got := jobCtx.Err() != nil; got != tc.wantCancelled {
				t.Fatalf("%s: after the program's ctx was cancelled, the job's ctx cancelled=%v, want %v", tc.kind, got, tc.wantCancelled)
			}
			close(release)
			waited := make(chan struct{})
			go func() { d.m.jobs.Wait(); close(waited) }()
			select {
			case <-waited:
			case <-time.After(time.Minute): // hang guard
				t.Fatalf("%s: the job never ended", tc.kind)
			}
			d.settle()
			if d.m.Busy() {
				t.Fatalf("%s: still busy after the job ended", tc.kind)
			}
			d.mustSee(tc.wantStatus)
		})
	}
}

func TestHooksSeeJobStartAndEnd(t *testing.T) {
	var events []string
	d := newDriver(t, newFake(), 80, 24)
	d.m.opts.OnJobStart = func(kind string) { events = append(events, "start "+kind) }
	d.m.opts.OnJobEnd = func(kind string, err error) { events = append(events, "end "+kind) }
	d.press("n")
	if len(events) != 2 || events[0] != "start backup" || events[1] != "end backup" {
		t.Fatalf("hooks saw %v", events)
	}
}

func TestOfferKeepsOnlyTheNewestSnapshot(t *testing.T) {
	relay := make(chan progress.Snapshot, 1)
	for i := range 5 {
		offer(relay, progress.Snapshot{Rows: int64(i)})
	}
	if s := <-relay; s.Rows != 4 {
		t.Fatalf("relay holds rows=%d, want the newest (4)", s.Rows)
	}
}
