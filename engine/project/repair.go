package project

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"sort"
	"time"
)

// RepairReport says what Repair found and did, one sentence per trigger.
type RepairReport struct {
	Repaired []string // left guarded by a restore that is gone; put back as they were
	Running  []string // guarded by a restore whose connection is still alive
	Failed   []string // still guarded: could not be put back
}

// Found reports whether any guarded trigger was seen.
func (r RepairReport) Found() bool { return len(r.Repaired)+len(r.Running)+len(r.Failed) > 0 }

// Repair puts back the triggers of the connection's database that an
// interrupted project restore left guarded: as journaled in dir (the
// project backup directory, "" for none) when the journal has them, else
// by taking the guard off the body, which is exact for every guard
// lifeboat writes. A guard whose restoring connection is still alive
// belongs to a restore in progress and is left alone. The journal is
// removed once nothing it names is still guarded.
func Repair(ctx context.Context, db *sql.DB, dir string) (RepairReport, error) {
	var rep RepairReport
	var j *Journal
	if dir != "" {
		var err error
		if j, err = ReadJournal(dir); err != nil {
			return rep, err
		}
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return rep, fmt.Errorf("repair triggers: connect: %w", err)
	}
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	var schema sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&schema); err != nil || !schema.Valid {
		return rep, fmt.Errorf("repair triggers: no current database (%v)", err)
	}
	if _, err := conn.ExecContext(ctx, lockWait); err != nil {
		return rep, err
	}
	journaled := map[string]Trigger{}
	journalAlive := false
	if j != nil && j.Database == schema.String {
		if journalAlive, err = connAlive(ctx, conn, j.ConnectionID); err != nil {
			return rep, err
		}
		for _, tr := range j.Triggers {
			journaled[tr.Name] = tr
		}
	}
	all, err := LoadTriggers(ctx, conn, schema.String, nil)
	if err != nil {
		return rep, err
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].Order < all[b].Order })
	for _, tr := range all {
		if !Guarded(tr.Body) {
			continue
		}
		what := fmt.Sprintf("trigger %s (%s %s on %s)", tr.Name, tr.Timing, tr.Event, tr.Table)
		id, named := guardConn(tr.Body)
		alive := false
		if named {
			if alive, err = connAlive(ctx, conn, id); err != nil {
				return rep, err
			}
		} else if _, ok := journaled[tr.Name]; ok {
			alive = journalAlive
		}
		if alive {
			rep.Running = append(rep.Running, fmt.Sprintf("%s is guarded by a project restore in progress (connection %d)", what, id))
			continue
		}
		orig, ok := journaled[tr.Name]
		if !ok || journalAlive {
			if orig, ok = tr.Unguarded(); !ok {
				rep.Failed = append(rep.Failed, fmt.Sprintf("%s is guarded in a way lifeboat cannot undo exactly: recreate it from a project backup's metadata (\"triggers\")", what))
				continue
			}
		}
		if err := recreate(ctx, conn, orig, orig.original()); err != nil {
			rep.Failed = append(rep.Failed, fmt.Sprintf("%s is still guarded, so a session could silence it: %v; fix the privilege, then run `lifeboat status` again", what, err))
			continue
		}
		rep.Repaired = append(rep.Repaired, what+" was left guarded by an interrupted project restore"+journalNote(j)+": lifeboat put the original back")
	}
	if j != nil && j.Database == schema.String && !journalAlive && len(rep.Failed) == 0 {
		if err := removeJournal(dir); err != nil {
			return rep, err
		}
	}
	if j != nil && j.Database != schema.String {
		rep.Failed = append(rep.Failed, fmt.Sprintf("the trigger journal in %s is of database %q: run `lifeboat status` with that database's config to repair its triggers", dir, j.Database))
	}
	return rep, nil
}

func journalNote(j *Journal) string {
	if j == nil {
		return ""
	}
	return fmt.Sprintf(" (project %s from %s, started %s by pid %d)", j.ProjectID, j.Backup, j.StartedAt.Format(time.RFC3339), j.PID)
}

// connAlive reports whether a server connection with this id exists.
func connAlive(ctx context.Context, q querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("repair triggers: read the process list: %w", err)
	}
	return n > 0, nil
}
