package tui

import (
	"context"
	"errors"
	"sync"

	"github.com/lifeboat-dev/lifeboat/engine/progress"

	tea "charm.land/bubbletea/v2"
)

// jobState is where a background job stands.
type jobState int

const (
	jobRunning jobState = iota
	jobCancelling
	jobCancelled
	jobDone
	jobFailed
)

func (s jobState) String() string {
	return [...]string{"running", "cancelling", "cancelled", "done", "failed"}[s]
}

// jobSpec describes long work before it starts. run captures its
// arguments by value; it returns the status-line text for success.
type jobSpec struct {
	kind  string // "backup", "verify", "restore", "project backup", "project restore"
	title string // "backup of app", "restore backup_x.sql.gz into app"
	// finish lets a restore run to its end even when the program's ctx
	// is cancelled (SIGHUP): a half-done restore is worse than a late one.
	finish bool
	run    func(ctx context.Context, fn progress.Func) (string, error)
}

// job is the running work: its state, cancel func and last snapshot.
type job struct {
	id     int
	spec   jobSpec
	state  jobState
	cancel context.CancelFunc
	snap   progress.Snapshot
	seen   bool // a snapshot arrived
	relay  chan progress.Snapshot
	done   chan struct{}
}

// start launches j under parent and returns the Cmds: the work itself and
// the progress relay. wg lets Run wait for work still running at exit.
func (j *job) start(parent context.Context, wg *sync.WaitGroup) tea.Cmd {
	if j.spec.finish {
		parent = context.WithoutCancel(parent)
	}
	ctx, cancel := context.WithCancel(parent)
	j.cancel = cancel
	j.relay = make(chan progress.Snapshot, 1)
	j.done = make(chan struct{})
	id, spec, relay, done := j.id, j.spec, j.relay, j.done
	if wg != nil {
		wg.Add(1)
	}
	work := func() tea.Msg {
		defer func() {
			cancel()
			close(done)
			if wg != nil {
				wg.Done()
			}
		}()
		text, err := spec.run(ctx, func(s progress.Snapshot) { offer(relay, s) })
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		return jobDoneMsg{id: id, text: text, err: err}
	}
	return tea.Batch(work, waitProgress(id, relay, done))
}

// offer hands s to the relay, replacing an unread older snapshot so the
// worker never blocks on the screen.
func offer(relay chan progress.Snapshot, s progress.Snapshot) {
	for {
		select {
		case relay <- s:
			return
		default:
		}
		select {
		case <-relay:
		default:
		}
	}
}

// waitProgress is the one relay: it reads the next snapshot and is
// re-issued by the root model after each progressMsg.
func waitProgress(id int, relay chan progress.Snapshot, done chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case s := <-relay:
			return progressMsg{id: id, snap: s}
		case <-done:
			return nil
		}
	}
}

// finished records how the job ended.
func (j *job) finished(err error) {
	switch {
	case err == nil:
		j.state = jobDone
	case errors.Is(err, context.Canceled):
		j.state = jobCancelled
	default:
		j.state = jobFailed
	}
}
