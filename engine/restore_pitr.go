package engine

// Restore to a point (issue 15 item 5): a base backup restored as a full
// restore does it, then the archive replayed from the backup's coordinates
// up to an exclusive stop point, confined to the target database.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// PointOptions say where a point-in-time restore stops (exactly one of
// At, UntilGTID, UntilPosition) and where it goes.
type PointOptions struct {
	At            time.Time // stop before anything committed at or after it
	UntilGTID     string    // stop before this transaction
	UntilPosition string    // FILE:POS: stop before the event there
	Into          string
	// NoSafetyBackup skips the safety copy of a non-empty target.
	NoSafetyBackup bool
}

// PointPlan is what RestorePoint will do, for the confirmation.
type PointPlan struct {
	Base         string // the backup restored first
	BaseAt       time.Time
	Database     string // the target
	Source       string // the database the backup and the log hold
	Stop         string // the stop point, as the user gave it
	StopFile     string
	StopPos      uint64 // 0: replay to the end of the archive
	Transactions int    // of Source, to replay
	First, Last  *BinlogEvent
	Files        []string // archive files replayed
	StartPos     uint64
	Restore      RestorePlan // the full restore's own plan
}

// PointResult is what RestorePoint did.
type PointResult struct {
	Plan     PointPlan
	Restore  RestoreResult
	Replayed int64
	Duration time.Duration
	Replay   time.Duration // of the replay alone, after the base restore
}

func (o PointOptions) stopLabel() string {
	switch {
	case o.UntilGTID != "":
		return "before GTID " + o.UntilGTID
	case o.UntilPosition != "":
		return "before " + o.UntilPosition
	}
	return "before " + o.At.Format(time.RFC3339)
}

// PlanPointRestore works out the base backup (name, or with name empty
// the newest before At), checks that the archive has no gap from it to
// the stop point, counts the transactions to replay, and checks that the
// account may replay the log. Nothing changes.
func (e *Engine) PlanPointRestore(ctx context.Context, name string, opts PointOptions) (PointPlan, error) {
	p := PointPlan{Stop: opts.stopLabel()}
	n := 0
	for _, set := range []bool{!opts.At.IsZero(), opts.UntilGTID != "", opts.UntilPosition != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return p, errors.New("restore to a point: give exactly one of --at/--until, --until-gtid, --until-position")
	}
	if !e.Cfg.Binlog.Archive {
		return p, errNoBinlogArchive
	}
	if name != "" { // only on a remote (a disk loss): pull it, checked
		if err := e.fetchIfRemoteOnly(ctx, ActionRestore, name, nil); err != nil {
			return p, err
		}
	}
	m, err := e.pointBase(ctx, name, opts)
	if err != nil && name == "" && len(e.Cfg.Remotes) > 0 {
		if n := e.offsitePointBase(ctx, opts); n != "" { // binlog_remote_pull.go
			m, err = e.pointBase(ctx, n, opts)
		}
	}
	if err != nil {
		return p, err
	}
	p.Base, p.BaseAt, p.Source = m.Filename, m.CreatedAt, m.Databases[0]
	p.Database = e.restoreTarget(RestoreOptions{Into: opts.Into})
	p.StartPos = m.Binlog.Position
	files, err := e.replayFiles(ctx, m.Binlog.File) // with what only a remote holds, pulled
	if err != nil {
		return p, err
	}
	chain := binlog.Check(files, m.Binlog.File, true)
	if err := e.walkToStop(ctx, &p, chain, m.Binlog, opts); err != nil {
		return p, err
	}
	if err := e.checkReplayPrivilege(ctx, p.Database); err != nil {
		return p, fmt.Errorf("restore %s %s: %w", p.Base, p.Stop, err)
	}
	p.Restore, err = e.PlanRestore(ctx, p.Base, RestoreOptions{Into: opts.Into, NoSafetyBackup: opts.NoSafetyBackup})
	return p, err
}

// finished is when a backup ended: its snapshot is no later, so a backup
// finished before T is a base for T whatever moment its snapshot had.
func finished(m *catalog.Manifest) time.Time {
	return m.CreatedAt.Add(time.Duration(m.DurationMS) * time.Millisecond)
}

// walkToStop reads the archive from the base's coordinates to the stop
// point: a gap on the way is refused, naming the file; so is a statement
// that would reach outside the target.
func (e *Engine) walkToStop(ctx context.Context, p *PointPlan, chain binlog.Chain, from *catalog.BinlogPosition, opts PointOptions) error {
	stopFile, stopPos, err := untilPosition(opts.UntilPosition)
	if err != nil {
		return err
	}
	others, err := e.otherDatabases(ctx, p.Source)
	if err != nil {
		return err
	}
	errFound := errors.New("found")
	for gi, f := range chain.Files {
		for _, g := range chain.Gaps {
			if len(g.Files) > 0 && binlog.Number(g.Files[0]) <= binlog.Number(f.Name) {
				return fmt.Errorf("restore %s %s: the archive has a gap after the backup: %s; nothing was changed", p.Base, p.Stop, g.Reason)
			}
		}
		p.Files = append(p.Files, f.Path)
		err := binlog.ReadFile(ctx, f.Path, func(t binlog.Transaction) error {
			if gi == 0 && t.Position < from.Position {
				return nil
			}
			if opts.UntilGTID != "" && t.GTID == opts.UntilGTID ||
				stopFile == f.Name && t.Position >= stopPos ||
				!opts.At.IsZero() && !t.Time.Before(opts.At) {
				p.StopFile, p.StopPos = f.Name, t.Position
				return errFound
			}
			for _, q := range t.Statements {
				if err := binlog.Confined(q, p.Source, others); err != nil {
					return fmt.Errorf("restore %s %s: cannot replay GTID %s (%s:%d, %s): %v; nothing was changed", p.Base, p.Stop, t.GTID, t.File, t.Position, t.Time.Format(time.RFC3339), err)
				}
			}
			if t.Database == p.Source {
				p.Transactions++
				ev := t
				if p.First == nil {
					p.First = &ev
				}
				p.Last = &ev
			}
			return nil
		})
		if errors.Is(err, errFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if stopFile == f.Name {
			p.StopFile, p.StopPos = f.Name, stopPos
			return nil
		}
	}
	for _, g := range chain.Gaps { // a start file missing altogether
		return fmt.Errorf("restore %s %s: the archive has a gap after the backup: %s; nothing was changed", p.Base, p.Stop, g.Reason)
	}
	switch {
	case opts.UntilGTID != "":
		return fmt.Errorf("restore %s: GTID %s is not in the archive after the backup's coordinates (%s:%d); list them with lifeboat binlog events", p.Base, opts.UntilGTID, from.File, from.Position)
	case stopFile != "":
		return fmt.Errorf("restore %s: %s is not in the archive after the backup's coordinates", p.Base, opts.UntilPosition)
	case opts.At.After(chain.End.Add(time.Second)):
		return fmt.Errorf("restore %s: %s is after the archive's last event (%s): run lifeboat binlog sync first, or pick an earlier time", p.Base, p.Stop, chain.End.Format(time.RFC3339))
	}
	return nil // --at a moment after the last transaction: replay everything
}

// RestorePoint restores the base backup, then replays the archive to the
// stop point. The plan is checked first: a gap refuses before anything
// changes. It does not ask for confirmation; callers do, from the plan.
func (e *Engine) RestorePoint(ctx context.Context, name string, opts PointOptions, fn progress.Func) (PointResult, error) {
	start := time.Now()
	var res PointResult
	plan, err := e.PlanPointRestore(ctx, name, opts)
	res.Plan = plan
	if err != nil {
		return res, err
	}
	target := plan.Database
	err = e.do(ctx, actionSpec{action: ActionRestore, object: plan.Base, detail: "into " + target + " " + plan.Stop,
		lock: lockExclusive, wait: restoreLockWait, holder: "restore", database: target, prefix: "restore " + plan.Base,
	}, func(ctx context.Context, a *actionLog) error {
		r, err := e.restore(ctx, plan.Base, target, RestoreOptions{Into: opts.Into, NoSafetyBackup: opts.NoSafetyBackup}, fn)
		res.Restore = r
		if r.SafetyBackup != "" {
			a.Detail += "; safety backup " + r.SafetyBackup
		}
		if err != nil {
			return err
		}
		tr := progress.Start("replay", fn, 0)
		tr.SetRowsTotal(int64(plan.Transactions)) // transactions, shown as the row count
		defer tr.Finish()
		t0 := time.Now()
		res.Replayed, err = binlog.Replay(ctx, binlog.ReplayOptions{Files: plan.Files, StartPos: plan.StartPos, StopPos: plan.StopPos,
			Source: plan.Source, Target: target, Conn: e.binlogConn(),
			Done: func(int64) { tr.AddRows(1) }})
		res.Replay = time.Since(t0)
		a.Detail += fmt.Sprintf("; %d transactions replayed", plan.Transactions)
		if err != nil {
			state := fmt.Sprintf("database %q holds backup %s plus part of the log", target, plan.Base)
			if r.SafetyBackup != "" {
				state += "; bring the previous state back with: lifeboat restore " + r.SafetyBackup
			}
			return fmt.Errorf("restore %s %s: %w; %s", plan.Base, plan.Stop, err, state)
		}
		return nil
	})
	res.Duration = time.Since(start)
	return res, err
}
