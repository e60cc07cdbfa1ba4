package engine

// The action envelope. Every verb (backup, prune, delete, verify, restore,
// download, and the project verbs) runs through (*Engine).do, which checks
// [access], takes the directory lock and the server lock the verb declares,
// runs it, writes exactly one audit line with its result and tells the
// notification hook. Work an action does inside its own (the safety backup
// of a restore, the auto-prune after a backup) runs through nested, under
// the outer action's locks, with its own audit line.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// lockKind is what an action holds on backup.dir while it runs. The zero
// value is no declaration at all, and do refuses it.
type lockKind int

const (
	lockUndeclared lockKind = iota
	lockNone                // reads nothing that a writer could change under it
	lockShared              // readers: verify, download; many at once, no writer
	lockExclusive           // writers: backup, prune, delete, restore, project verbs
)

// actionSpec is what a verb declares about itself; do does the rest.
type actionSpec struct {
	action Action
	object string // the audit object until run names a better one (the new file)
	detail string // the audit detail until run changes it
	lock   lockKind
	wait   time.Duration // how long to wait for the directory and the server lock
	holder string        // what others waiting for the directory are told ("backup")
	// database, when set, is held with GET_LOCK('lifeboat:<database>') on the
	// server for the whole action, so that every lifeboat on the server,
	// whatever its config and backup.dir, serialises on the database.
	database string
	prefix   string       // wraps the envelope's own errors: "restore NAME"
	check    func() error // optional: refusals that need no lock (a bad name)
	// plan marks a dry run: access and check as for the action, then run
	// with no lock and no audit line (only a refusal is recorded).
	plan bool
	// progress, when set, is told while the action waits for a lock
	// (lockwait.go), so the wait is seen and can be cancelled.
	progress progress.Func
}

// actionLog is the audit line an action is about to write; run refines it.
type actionLog struct {
	Object string
	Detail string
	Result string // when set, replaces the result the error implies
	Error  string // with Result: the error text to record
	// Quiet, set by nested work that did nothing (an auto-prune that
	// removed no file), writes no audit line: Activity shows what happened.
	Quiet bool
	then  []func(context.Context)
}

// Then schedules nested work to run after this action's audit line is
// written, still under its locks (a backup's auto-prune).
func (a *actionLog) Then(f func(context.Context)) { a.then = append(a.then, f) }

// event is what the notification hook hears at the end of every action.
type event struct {
	Entry  audit.Entry
	Nested bool // inside another action (a safety backup, an auto-prune)
}

// notify sends the action's event to [notify] (notify.go). A failed
// notification never fails the action: it gets an audit line of its own.
func (e *Engine) notify(ev event) {
	kind := notifyKind(ev.Entry)
	if kind == "" || !e.Cfg.Notify.Wants(kind) {
		return
	}
	n := eventOf(kind, ev.Entry)
	n.Summary = e.backupSummary()
	e.sendNotice(n)
}

// sendNotice delivers ev and records a failure as a "notify" audit line.
func (e *Engine) sendNotice(ev NotifyEvent) {
	start := time.Now()
	if err := e.deliver(ev); err != nil {
		e.appendAudit(audit.Entry{Time: start, OSUser: e.Who.Login, MySQLUser: e.Cfg.Database.User,
			Action: NotifyAuditAction, Object: ev.Event + " of " + strings.TrimSpace(ev.Action+" "+ev.Object),
			Result: "failed", DurationMS: time.Since(start).Milliseconds(),
			Error: "notification not delivered: " + err.Error(), Detail: "the action itself is unaffected"})
	}
}

// testHookLocked, when set by a test, runs once an action holds its locks
// and before it starts its work.
var testHookLocked func(ctx context.Context, a Action)

// do runs one action: access check, check, directory lock, server lock,
// run, one audit line, notify, then the nested work run scheduled.
func (e *Engine) do(ctx context.Context, spec actionSpec, run func(context.Context, *actionLog) error) error {
	if spec.lock == lockUndeclared || !config.IsAction(string(spec.action)) {
		panic(fmt.Sprintf("engine: action %q declares no lock or is not in config.Actions", spec.action))
	}
	start := time.Now()
	a := &actionLog{Object: spec.object, Detail: spec.detail}
	err := e.Allowed(spec.action)
	if err == nil && spec.check != nil {
		err = spec.check()
	}
	if err != nil {
		e.finish(spec.action, a, start, err, false)
		return err
	}
	if spec.plan {
		return run(ctx, a)
	}
	release, err := e.takeLocks(ctx, spec)
	if err != nil {
		e.finish(spec.action, a, start, err, false)
		return err
	}
	defer release()
	if testHookLocked != nil {
		testHookLocked(ctx, spec.action)
	}
	err = run(ctx, a)
	e.finish(spec.action, a, start, err, false)
	for _, f := range a.then {
		f(ctx)
	}
	return err
}

// nested runs work an action does inside its own, under the caller's
// locks and access check, with an audit line of its own.
func (e *Engine) nested(ctx context.Context, action Action, object, detail string, run func(context.Context, *actionLog) error) error {
	start := time.Now()
	a := &actionLog{Object: object, Detail: detail}
	err := run(ctx, a)
	if err != nil || !a.Quiet {
		e.finish(action, a, start, err, true)
	}
	for _, f := range a.then {
		f(ctx)
	}
	return err
}

// takeLocks takes the directory lock, then the server lock, as declared.
func (e *Engine) takeLocks(ctx context.Context, spec actionSpec) (release func(), err error) {
	var lk *catalog.Lock
	if spec.lock == lockShared || spec.lock == lockExclusive {
		lk, err = catalog.Take(ctx, e.dir(), e.dirLockRequest(spec))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec.prefix, err)
	}
	if spec.lock == lockExclusive {
		// The directory is ours: no restore runs in it now, so a journal
		// left by a killed one gets the audit line it could not write.
		e.reportInterrupted()
	}
	var sl *serverLock
	if spec.database != "" {
		if sl, err = e.lockDatabase(ctx, spec.database, spec.wait, spec.progress, spec.holder); err != nil {
			lk.Unlock()
			return nil, fmt.Errorf("%s: %w", spec.prefix, err)
		}
	}
	return func() {
		sl.release()
		lk.Unlock()
	}, nil
}

// lockMoreDatabases takes the server locks of more databases inside a
// running action, which holds its own already: a whole-server restore
// learns which databases it replaces only once it has read the file
// (restore_databases.go). The returned func releases them.
func (e *Engine) lockMoreDatabases(ctx context.Context, dbs []string, wait time.Duration) (func(), error) {
	var held []*serverLock
	release := func() {
		for _, l := range held {
			l.release()
		}
	}
	for _, db := range dbs {
		l, err := e.lockDatabase(ctx, db, wait, nil, "restore")
		if err != nil {
			release()
			return nil, err
		}
		held = append(held, l)
	}
	return release, nil
}

// whileIdle runs f holding the directory exclusively, only when no other
// lifeboat holds it (it does not wait): housekeeping such as status's
// removal of orphaned partial files, which is no action of its own.
func (e *Engine) whileIdle(ctx context.Context, holder string, f func()) {
	lk, err := catalog.LockDir(ctx, e.dir(), holder, 0)
	if err != nil {
		return
	}
	defer lk.Unlock()
	f()
}

// recordFound writes the audit line of an action that a killed lifeboat
// could not write, found later by an action holding the directory.
func (e *Engine) recordFound(action Action, object string, start time.Time, result, text string) {
	e.finish(action, &actionLog{Object: object, Result: result, Error: text}, start, nil, true)
}

// finish writes the action's one audit line and tells the hook.
func (e *Engine) finish(action Action, a *actionLog, start time.Time, err error, nested bool) {
	en := audit.Entry{Time: start, OSUser: e.Who.Login, MySQLUser: e.Cfg.Database.User, Action: string(action),
		Object: a.Object, Result: resultOf(err), DurationMS: time.Since(start).Milliseconds(), Detail: a.Detail}
	if err != nil {
		en.Error = err.Error()
	}
	if a.Result != "" {
		en.Result, en.Error = a.Result, a.Error
	}
	e.appendAudit(en)
	e.notify(event{Entry: en, Nested: nested})
}

// appendAudit writes the line. The log is best effort: an action that
// happened is not undone because its line could not be written.
func (e *Engine) appendAudit(en audit.Entry) {
	if fi, err := os.Stat(e.dir()); err != nil || !fi.IsDir() {
		return // no directory: nothing happened in it, and we do not create it here
	}
	_ = audit.Append(e.dir(), en)
}

// resultOf is the audit result an action's error implies.
func resultOf(err error) string {
	var ae *AccessError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, project.ErrRolledBack): // a project restore says so even when cancelled
		return "rolled_back"
	case errors.Is(err, project.ErrRefused), errors.Is(err, project.ErrBadID):
		return "refused"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "cancelled"
	case errors.As(err, &ae), errors.Is(err, catalog.ErrBusy), errors.Is(err, ErrDatabaseBusy),
		errors.Is(err, catalog.ErrBadName), errors.Is(err, os.ErrNotExist):
		return "refused"
	}
	return "failed"
}
