package engine

// Prune runs through the envelope (action.go), which takes the directory
// lock and appends the audit line.

import (
	"context"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

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
		res.Remotes = e.pruneRemotes(ctx, opts, e.keptEverywhere(), true) // each location its own keep, project backups too
		return err
	})
	return res, err
}

// autoPrune is the prune after a backup, under the backup's lock.
func (e *Engine) autoPrune(ctx context.Context) (PruneResult, error) {
	var res PruneResult
	err := e.nested(ctx, ActionPrune, e.dir(), "", func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.prune(ctx, PruneOptions{}, a)
		a.Quiet = len(res.Deleted) == 0 // nothing to say in Activity
		// Project backups off-site are pruned after each project backup.
		res.Remotes = e.pruneRemotes(ctx, PruneOptions{}, e.keptEverywhere(), false)
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
	policy := e.retentionPolicy(res.Keep)
	judged := catalog.Retention(entries, policy)
	res.Verdicts, res.Calendar = verdicts(judged, policy), calendarText(policy)
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
	if err == nil {
		res.Previous = e.prunePreviousAll(ctx, e.Cfg.Backup.KeepPrevious, opts.Only, opts.DryRun)
		err = e.pruneBinlog(ctx, keptAfter(entries, res.Deleted), opts.DryRun, &res)
	}
	a.Object = pruneObject(res)
	a.Detail = fmt.Sprintf("keep %d, %d of %d removed, %s freed",
		res.Keep, len(res.Deleted), res.FilesBefore, units.Size(uint64(res.SpaceFreed)))
	if n := len(res.Previous.Dropped); n > 0 {
		a.Detail += fmt.Sprintf("; %d kept previous state(s) of the database dropped (%s)", n, units.Size(uint64(res.Previous.Freed)))
	}
	if n := len(res.BinlogDeleted); n > 0 {
		a.Detail += fmt.Sprintf("; %d binary-log archive files removed (%s)", n, units.Size(uint64(res.BinlogFreed)))
	}
	return res, err
}

// keptAfter are the entries a prune leaves.
func keptAfter(entries []catalog.Entry, deleted []string) []catalog.Entry {
	gone := map[string]bool{}
	for _, n := range deleted {
		gone[n] = true
	}
	var out []catalog.Entry
	for _, en := range entries {
		if !gone[en.Name] {
			out = append(out, en)
		}
	}
	return out
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
