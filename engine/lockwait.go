package engine

// Waiting on a lock is said, not silent (issue 13 item 7): while an action
// waits for the directory or the server lock, its progress func is told
// who it waits for, named from the lock itself (the holder file, or the
// server session that holds GET_LOCK), and cancelling its ctx ends the wait.

import (
	"fmt"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// waitingFor is the line shown while waiting for the directory's holder:
// "waiting for the backup started by root at 14:02 (pid 4711)".
func (e *Engine) waitingFor(h catalog.Holder) string {
	if h.Action == "" {
		return "waiting for another lifeboat in this backup directory (" + Printable(h.String()) + ")"
	}
	s := "waiting for the " + Printable(h.Action) + " started"
	if h.User != "" {
		s += " by " + Printable(h.User)
	}
	return s + " at " + e.clockTime(h.Since) + fmt.Sprintf(" (pid %d)", h.PID)
}

// clockTime is t in backup.timezone: "14:02" today, "Dec 1 14:02" before.
func (e *Engine) clockTime(t time.Time) string {
	loc := e.Loc
	if loc == nil {
		loc = time.Local
	}
	t = t.In(loc)
	if y, m, d := time.Now().In(loc).Date(); t.Year() == y && t.Month() == m && t.Day() == d {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// tellWaiting sends a waiting line to fn, which may be nil.
func tellWaiting(fn progress.Func, op, text string) {
	if fn != nil {
		fn(progress.Snapshot{Op: op, Waiting: text})
	}
}

// dirLockRequest is the directory lock spec asks for, telling spec.progress
// while it waits.
func (e *Engine) dirLockRequest(spec actionSpec) catalog.Request {
	r := catalog.Request{Action: spec.holder, User: e.Who.Login, Wait: spec.wait, Shared: spec.lock == lockShared}
	if spec.progress != nil {
		r.Busy = func(h catalog.Holder) { tellWaiting(spec.progress, spec.holder, e.waitingFor(h)) }
	}
	return r
}
