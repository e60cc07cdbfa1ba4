package tui

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// What SIGHUP does goes through the program's ctx: a backup is cancelled
// (no partial file), a restore runs to its end and Run waits for it.
func TestProgramCtxCancelsBackupButNotRestore(t *testing.T) {
	for _, tc := range []struct {
		spec          jobSpec
		wantCancelled bool
	}{
		{jobSpec{kind: "backup"}, true},
		{jobSpec{kind: "restore", finish: true}, false},
	} {
		parent, cancel := context.WithCancel(context.Background())
		release := make(chan struct{})
		sawCancel := make(chan bool, 1)
		tc.spec.run = func(ctx context.Context, fn progress.Func) (string, error) {
			select {
			case <-ctx.Done():
				sawCancel <- true
				return "", ctx.Err()
			case <-release:
				sawCancel <- false
				return "finished", nil
			}
		}
		d := newDriver(t, newFake(), 80, 24)
		d.m.ctx = parent
		d.send(runJobMsg{tc.spec})
		d.settle() // starts the work, which then blocks
		cancel()
		time.AfterFunc(300*time.Millisecond, func() { close(release) })
		waited := make(chan struct{})
		go func() { d.m.jobs.Wait(); close(waited) }()
		select {
		case <-waited:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the job never ended", tc.spec.kind)
		}
		if got := <-sawCancel; got != tc.wantCancelled {
			t.Fatalf("%s: cancelled=%v, want %v", tc.spec.kind, got, tc.wantCancelled)
		}
		d.settle()
		if d.m.Busy() {
			t.Fatalf("%s: still busy after the job ended", tc.spec.kind)
		}
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
