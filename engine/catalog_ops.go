package engine

// The backup catalog: list, status, verify, prune, delete, cat and the
// activity log. Listing reads manifests only; everything that changes the
// directory takes its lock and appends an audit line.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// lockWait is how long prune, delete, verify and cat wait for a backup in
// progress before refusing with catalog.ErrBusy.
var lockWait = 10 * time.Second

func (e *Engine) dir() string { return e.Cfg.Backup.Dir }

func (e *Engine) keep() int {
	if e.Cfg.Backup.Keep > 0 {
		return e.Cfg.Backup.Keep
	}
	return config.DefaultKeep
}

// List returns the backups in backup.dir newest first, at most limit (0:
// all). It reads manifests, never the backup files.
func (e *Engine) List(ctx context.Context, limit int) ([]BackupInfo, error) {
	entries, err := e.entries()
	if err != nil {
		return nil, err
	}
	if limit > 0 && len(entries) > limit {
		entries = entries[:limit]
	}
	out := make([]BackupInfo, len(entries))
	for i, en := range entries {
		out[i] = infoOf(en, e.Loc)
	}
	return out, ctx.Err()
}

func infoOf(en catalog.Entry, loc *time.Location) BackupInfo {
	bi := BackupInfo{Filename: en.Name, Path: en.Path, Size: en.Size, CreatedAt: en.CreatedAt.In(loc),
		ModifiedAt: en.ModTime.In(loc), CreatedBy: en.CreatedBy, State: en.State, Manifest: en.Manifest,
		Problem: en.Problem}
	if en.Manifest != nil {
		bi.Rows, bi.Databases, bi.Safety = en.Manifest.Rows, en.Manifest.Databases, en.Safety()
	}
	return bi
}

// Prune removes the oldest complete backups of this config's database
// beyond opts.Keep (backup.keep when 0), and the oldest safety backups
// beyond as many again; never another database's backups, the newest
// verified one, a safety backup a restore journal names, the last good
// backup before the database shrank, nor foreign, incomplete, corrupt or
// partial files. It takes the directory lock, waiting up to
// 10 s for a running backup; a dry run reads only and takes no lock.
func (e *Engine) Prune(ctx context.Context, opts PruneOptions) (PruneResult, error) {
	start := time.Now()
	if err := e.Allowed("prune"); err != nil {
		e.record("prune", e.dir(), start, err, "")
		return PruneResult{}, err
	}
	if opts.DryRun {
		return e.pruneLocked(ctx, opts) // reads only: no lock, no audit line
	}
	lk, err := catalog.LockDir(ctx, e.dir(), "prune", lockWait)
	if err != nil {
		err = fmt.Errorf("prune: %w", err)
		e.record("prune", e.dir(), start, err, "")
		return PruneResult{}, err
	}
	defer lk.Unlock()
	e.reportInterrupted()
	return e.pruneLocked(ctx, opts)
}

// pruneLocked is Prune for a caller that already holds the directory lock
// (the backup's auto-prune). It checks no access rule: the caller did.
func (e *Engine) pruneLocked(ctx context.Context, opts PruneOptions) (PruneResult, error) {
	start := time.Now()
	res := PruneResult{Keep: opts.Keep, DryRun: opts.DryRun}
	if res.Keep <= 0 {
		res.Keep = e.keep()
	}
	entries, err := e.entries()
	if err != nil {
		e.record("prune", e.dir(), start, err, "")
		return res, err
	}
	scope := e.scope()
	for _, en := range entries {
		if catalog.Prunable(en) && en.Scope() == scope {
			res.FilesBefore++
		}
	}
	policy := catalog.PrunePolicy{Scope: scope, Keep: res.Keep, Pinned: e.pinnedByJournals()}
	drop := onlyNamed(catalog.PlanPrune(entries, policy), opts.Only)
	for _, en := range drop {
		if err = ctx.Err(); err != nil {
			break
		}
		if !opts.DryRun {
			if err = catalog.Remove(e.dir(), en.Name); err != nil {
				err = fmt.Errorf("prune: %w", err)
				break
			}
		}
		res.Deleted = append(res.Deleted, en.Name)
		res.SpaceFreed += en.Size
	}
	res.FilesAfter = res.FilesBefore - len(res.Deleted)
	if !opts.DryRun {
		e.record("prune", pruneObject(res), start, err, fmt.Sprintf("keep %d, %d of %d removed, %s freed",
			res.Keep, len(res.Deleted), res.FilesBefore, humanize.IBytes(uint64(res.SpaceFreed))))
	}
	return res, err
}

// onlyNamed keeps the planned removals that the caller confirmed.
func onlyNamed(drop []catalog.Entry, only []string) []catalog.Entry {
	if only == nil {
		return drop
	}
	ok := make(map[string]bool, len(only))
	for _, n := range only {
		ok[n] = true
	}
	var out []catalog.Entry
	for _, en := range drop {
		if ok[en.Name] {
			out = append(out, en)
		}
	}
	return out
}

func pruneObject(res PruneResult) string {
	if len(res.Deleted) == 0 {
		return "(nothing)"
	}
	s := res.Deleted[0]
	if n := len(res.Deleted); n > 1 {
		s += fmt.Sprintf(" and %d more", n-1)
	}
	return s
}

// Delete removes one backup that list shows, with its manifest. Paths,
// "..", absolute names, symlinks and unknown names are refused. Asking for
// confirmation is the caller's job.
func (e *Engine) Delete(ctx context.Context, name string) error {
	start := time.Now()
	err := e.delete(ctx, name)
	e.record("delete", name, start, err, "")
	return err
}

func (e *Engine) delete(ctx context.Context, name string) error {
	if err := e.Allowed("delete"); err != nil {
		return err
	}
	if _, err := e.listed(name); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	lk, err := catalog.LockDir(ctx, e.dir(), "delete", lockWait)
	if err != nil {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	defer lk.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return catalog.Remove(e.dir(), name)
}

// listed resolves name to a file list shows, refusing everything else.
func (e *Engine) listed(name string) (catalog.Entry, error) {
	if _, err := catalog.Resolve(e.dir(), name); err != nil {
		return catalog.Entry{}, err
	}
	entries, err := e.entries()
	if err != nil {
		return catalog.Entry{}, err
	}
	for _, en := range entries {
		if en.Name == name {
			return en, nil
		}
	}
	return catalog.Entry{}, fmt.Errorf("%q is not a backup: %w; use a file name from `lifeboat list`", name, catalog.ErrBadName)
}

// Cat writes the bytes of backup name to w (`lifeboat cat NAME > copy`).
func (e *Engine) Cat(ctx context.Context, name string, w io.Writer) error {
	start := time.Now()
	err := e.cat(ctx, name, w)
	e.record("download", name, start, err, "")
	return err
}

func (e *Engine) cat(ctx context.Context, name string, w io.Writer) error {
	en, err := e.listed(name)
	if err != nil {
		return fmt.Errorf("cat: %w", err)
	}
	lk, err := catalog.LockDirShared(ctx, e.dir(), "cat", lockWait)
	if err != nil {
		return fmt.Errorf("cat %s: %w", name, err)
	}
	defer lk.Unlock()
	f, err := os.OpenFile(en.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("cat %s: %w", name, err)
	}
	defer f.Close()
	if _, err := io.Copy(w, ctxReader{ctx, f}); err != nil {
		return fmt.Errorf("cat %s: %w", name, err)
	}
	return nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Activity returns the audit log newest first, at most limit (0: all).
func (e *Engine) Activity(ctx context.Context, limit int) ([]audit.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return audit.Read(e.dir(), limit)
}

// record appends the audit line for an action. The log is best effort: an
// action that happened is not undone because its line could not be written.
func (e *Engine) record(action, object string, start time.Time, err error, detail string) {
	en := audit.Entry{Time: start, OSUser: e.Who.Login, MySQLUser: e.Cfg.Database.User, Action: action,
		Object: object, Result: resultOf(err), DurationMS: time.Since(start).Milliseconds(), Detail: detail}
	if err != nil {
		en.Error = err.Error()
	}
	e.appendAudit(en)
}

// recordResult appends an audit line for an action that ran but did not
// succeed without an error (a verify whose checks failed).
func (e *Engine) recordResult(action, object string, start time.Time, result, errText string) {
	e.appendAudit(audit.Entry{Time: start, OSUser: e.Who.Login, MySQLUser: e.Cfg.Database.User, Action: action,
		Object: object, Result: result, DurationMS: time.Since(start).Milliseconds(), Error: errText})
}

func (e *Engine) appendAudit(en audit.Entry) {
	if fi, err := os.Stat(e.dir()); err != nil || !fi.IsDir() {
		return // no directory: nothing happened in it, and we do not create it here
	}
	_ = audit.Append(e.dir(), en)
}

func resultOf(err error) string {
	var ae *AccessError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "cancelled"
	case errors.As(err, &ae), errors.Is(err, catalog.ErrBusy), errors.Is(err, catalog.ErrBadName), errors.Is(err, os.ErrNotExist):
		return "refused"
	}
	return "failed"
}
