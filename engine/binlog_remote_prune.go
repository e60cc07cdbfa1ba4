package engine

import (
	"context"
	"slices"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// pruneRemoteBinlog applies binlog retention to the archive's copy on r,
// as pruneBinlog does locally, with the backups r keeps after this prune:
// a file goes when none of them replays from it and its last event is
// older than binlog.keep_days. Never the newest file there, and never an
// object lifeboat did not write (the index must be signed by a trusted key).
func (e *Engine) pruneRemoteBinlog(ctx context.Context, r config.Remote, opts PruneOptions, rp *RemotePrune) error {
	if !e.Cfg.Binlog.Archive {
		return nil
	}
	entries, st, err := e.remoteEntries(ctx, r)
	if err != nil {
		return err
	}
	need := int64(-1) // the first file the oldest backup kept there replays from
	for _, en := range entries {
		if m := en.Manifest; m != nil && m.Binlog != nil && en.Scope() == e.scope() && catalog.Prunable(en) && !slices.Contains(rp.Deleted, en.Name) {
			if n := binlog.Number(m.Binlog.File); need < 0 || n < need {
				need = n
			}
		}
	}
	have, err := remoteArchived(ctx, st)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(have))
	for n := range have {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return int(binlog.Number(a) - binlog.Number(b)) })
	cutoff := time.Now().AddDate(0, 0, -e.Cfg.Binlog.KeepDays)
	for i, n := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i == len(names)-1 || need >= 0 && binlog.Number(n) >= need {
			break // names are in log order: the rest is needed
		}
		if !have[n].ModTime.Before(cutoff) {
			continue // uploaded within keep_days, so its last event may be too: kept without a read
		}
		ix, err := e.readRemoteIndex(ctx, st, n)
		if err != nil || !ix.LastEvent.Before(cutoff) {
			continue // not ours, or within keep_days
		}
		if !opts.DryRun {
			// The index first: a file without it is not archived there.
			if err := st.Remove(ctx, binlogKey(n)+binlog.IndexSuffix); err != nil {
				return err
			}
			if err := st.Remove(ctx, binlogKey(n)); err != nil {
				return err
			}
		}
		rp.BinlogDeleted = append(rp.BinlogDeleted, n)
		rp.BinlogFreed += ix.ObjectSize
	}
	return nil
}
