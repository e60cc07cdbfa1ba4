package engine

// The backup catalog: list, prune, delete, cat (download) and the activity
// log. Listing reads manifests only; the actions run through the envelope
// (action.go), which takes their lock and appends their audit line.

import (
	"context"
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
	var res PruneResult
	err := e.do(ctx, actionSpec{action: ActionPrune, object: e.dir(), lock: lockExclusive, wait: lockWait,
		holder: "prune", prefix: "prune", plan: opts.DryRun,
	}, func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.prune(ctx, opts, a)
		return err
	})
	return res, err
}

// autoPrune is the prune after a backup, under the backup's lock.
func (e *Engine) autoPrune(ctx context.Context) (PruneResult, error) {
	var res PruneResult
	err := e.nested(ctx, ActionPrune, e.dir(), "", func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.prune(ctx, PruneOptions{}, a)
		return err
	})
	return res, err
}

// prune is the work of Prune, for a caller that holds the directory lock;
// it names what it removed in a.
func (e *Engine) prune(ctx context.Context, opts PruneOptions, a *actionLog) (PruneResult, error) {
	res := PruneResult{Keep: opts.Keep, DryRun: opts.DryRun}
	if res.Keep <= 0 {
		res.Keep = e.keep()
	}
	entries, err := e.entries()
	if err != nil {
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
	a.Object = pruneObject(res)
	a.Detail = fmt.Sprintf("keep %d, %d of %d removed, %s freed",
		res.Keep, len(res.Deleted), res.FilesBefore, humanize.IBytes(uint64(res.SpaceFreed)))
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
	return e.do(ctx, actionSpec{action: ActionDelete, object: name, lock: lockExclusive, wait: lockWait,
		holder: "delete", prefix: "delete " + name,
		check: func() error {
			if _, err := e.listed(name); err != nil {
				return fmt.Errorf("delete: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, _ *actionLog) error { return e.delete(ctx, name) })
}

func (e *Engine) delete(ctx context.Context, name string) error {
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

// Cat writes the bytes of backup name to w (`lifeboat cat NAME > copy`):
// the download action. A download cut short (the reader went away) is
// audited as partial, with the bytes that reached w.
func (e *Engine) Cat(ctx context.Context, name string, w io.Writer) error {
	var en catalog.Entry
	return e.do(ctx, actionSpec{action: ActionDownload, object: name, lock: lockShared, wait: lockWait,
		holder: "cat", prefix: "cat " + name,
		check: func() (err error) {
			if en, err = e.listed(name); err != nil {
				return fmt.Errorf("cat: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) error { return e.cat(ctx, en, w, a) })
}

func (e *Engine) cat(ctx context.Context, en catalog.Entry, w io.Writer, a *actionLog) error {
	f, err := os.OpenFile(en.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("cat %s: %w", en.Name, err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	n, err := io.Copy(w, ctxReader{ctx, f})
	if err != nil {
		a.Detail = fmt.Sprintf("%d of %d bytes written", n, size)
		err = fmt.Errorf("cat %s: cut short after %d of %d bytes: %w", en.Name, n, size, err)
		if n > 0 {
			a.Result, a.Error = "partial", err.Error()
		}
		return err
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
