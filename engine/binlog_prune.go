package engine

import (
	"context"
	"os"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// pruneBinlog removes archive files that no kept backup needs (they end
// before the oldest kept backup's coordinates) and whose last event is
// older than binlog.keep_days. kept are the backups that stay.
func (e *Engine) pruneBinlog(ctx context.Context, kept []catalog.Entry, dryRun bool, res *PruneResult) error {
	if !e.Cfg.Binlog.Archive {
		return nil
	}
	files, err := binlog.Files(e.binlogDir())
	if err != nil || len(files) == 0 {
		return err
	}
	need := int64(-1) // the first file the oldest kept backup replays from
	for _, en := range kept {
		if m := en.Manifest; m != nil && m.Binlog != nil && en.Scope() == e.scope() {
			if n := binlog.Number(m.Binlog.File); need < 0 || n < need {
				need = n
			}
		}
	}
	cutoff := time.Now().AddDate(0, 0, -e.Cfg.Binlog.KeepDays)
	for _, f := range files[:len(files)-1] { // never the newest (open) file
		if err := ctx.Err(); err != nil {
			return err
		}
		if f.Index == nil || !f.Index.LastEvent.Before(cutoff) || need >= 0 && binlog.Number(f.Name) >= need {
			continue
		}
		if !dryRun {
			if err := os.Remove(f.Path + binlog.IndexSuffix); err != nil {
				return err
			}
			if err := os.Remove(f.Path); err != nil {
				return err
			}
		}
		res.BinlogDeleted = append(res.BinlogDeleted, f.Name)
		res.BinlogFreed += f.Size
	}
	return nil
}
