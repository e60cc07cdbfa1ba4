package project

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// RestoreOptions say what to restore and how.
type RestoreOptions struct {
	ID      string
	Backup  *Backup
	DryRun  bool
	Tracker *progress.Tracker // nil: no progress
	// BeforeChange runs after the plan is made and checked and before the
	// first change (the safety backup). An error stops the restore.
	BeforeChange func(ctx context.Context) error
	// JournalDir is where the original triggers are journaled before they
	// are guarded (<backup.dir>/projects); "" writes no journal.
	JournalDir string
	BackupName string // for the journal
}

// TablePlan is one table's share of a restore.
type TablePlan struct {
	Table     string
	Delete    int64 // project rows the restore deletes: not in the backup, different now, or stranded
	Insert    int64 // backup rows missing now or different now
	Changed   int64 // of those, rows deleted and inserted again because they differ now
	Unchanged int64
}

// Plan is what a restore does (or did).
type Plan struct {
	ProjectExists bool
	CurrentName   string
	Tables        []TablePlan // in graph order
	Triggers      []string
	Drift         []string
	Warnings      []string
	Tree          string
}

// Result is a finished restore.
type Result struct {
	Plan     Plan
	Inserted map[string]int64
	Deleted  map[string]int64
}

// ErrRefused is wrapped when drift or a check stops a restore before any
// change.
var ErrRefused = errors.New("restore refused; nothing was changed")

// ErrRolledBack is wrapped when the restore transaction was rolled back.
var ErrRolledBack = errors.New("rolled back")

// Restore replaces exactly project ID's rows with the backup's, in one
// transaction: current rows the backup lacks or that differ are deleted,
// missing or different backup rows are inserted, nothing else is touched.
// Foreign-key checks are off inside the transaction (cycles, any order);
// before COMMIT every link is checked for orphans and the project's rows
// are read back and compared with the backup. Any failure rolls back.
func Restore(ctx context.Context, db *sql.DB, cfg Config, o RestoreOptions) (Result, error) {
	if err := CheckID(o.ID); err != nil {
		return Result{}, err
	}
	if string(o.Backup.Meta.ProjectID) != o.ID {
		return Result{}, fmt.Errorf("backup is of project %s, not %s: %w", o.Backup.Meta.ProjectID, o.ID, ErrRefused)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("project %s restore: connect: %w", o.ID, err)
	}
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if err := setup(ctx, conn); err != nil {
		return Result{}, err
	}
	g, plan, trs, err := prepare(ctx, conn, cfg, o)
	if err != nil || o.DryRun {
		return Result{Plan: plan}, err
	}
	if o.BeforeChange != nil {
		if err := o.BeforeChange(ctx); err != nil {
			return Result{Plan: plan}, err
		}
	}
	gd, err := newGuard(ctx, conn)
	if err != nil {
		return Result{Plan: plan}, err
	}
	journaled, err := journal(o, gd, trs)
	if err != nil {
		return Result{Plan: plan}, fmt.Errorf("project %s restore: %w: %w", o.ID, err, ErrRefused)
	}
	undo, err := guardTriggers(ctx, conn, gd, trs)
	// guardTriggers ran lockWait first: DDL must not wait forever behind
	// an application's long transaction.
	res := Result{Plan: plan}
	if err == nil {
		res, err = apply(ctx, conn, g, gd, o)
		res.Plan = plan
	}
	uerr := unguard(context.WithoutCancel(ctx), db, undo)
	if uerr == nil && journaled {
		uerr = removeJournal(o.JournalDir)
	}
	if uerr != nil {
		err = errors.Join(err, uerr)
	}
	return res, err
}

// journal records the originals of the triggers the restore guards,
// before the first is changed; false when there is nothing to record.
func journal(o RestoreOptions, gd guard, trs []Trigger) (bool, error) {
	j := &Journal{Database: gd.database, ProjectID: ID(o.ID), Backup: o.BackupName,
		StartedAt: time.Now(), PID: os.Getpid(), ConnectionID: gd.connID}
	for _, tr := range trs {
		if tr.Affects() {
			j.Triggers = append(j.Triggers, tr)
		}
	}
	if o.JournalDir == "" || len(j.Triggers) == 0 {
		return false, nil
	}
	return true, writeJournal(o.JournalDir, j)
}

// unguard puts the triggers back on a fresh connection, which is then
// discarded with its session settings.
func unguard(ctx context.Context, db *sql.DB, undo func(context.Context, querier) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("put triggers back: %w (their definitions are in the safety backup's metadata)", err)
	}
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if _, err := conn.ExecContext(ctx, lockWait); err != nil {
		return fmt.Errorf("put triggers back: %w", err)
	}
	return undo(ctx, conn)
}

// prepare builds the graph, checks drift and makes the plan from a
// consistent read.
func prepare(ctx context.Context, conn *sql.Conn, cfg Config, o RestoreOptions) (*Graph, Plan, []Trigger, error) {
	var plan Plan
	s, err := LoadSchema(ctx, conn)
	if err != nil {
		return nil, plan, nil, err
	}
	g, err := Build(s, cfg)
	if err != nil {
		return nil, plan, nil, err
	}
	notes, refusals := Drift(o.Backup.Meta, g)
	plan.Drift = append(notes, refusals...)
	if len(refusals) > 0 {
		return nil, plan, nil, fmt.Errorf("project %s: the schema changed since the backup: %s: %w", o.ID, strings.Join(refusals, "; "), ErrRefused)
	}
	trs, err := LoadTriggers(ctx, conn, s.Database, g.Order)
	if err != nil {
		return nil, plan, nil, err
	}
	for _, tr := range trs {
		if Guarded(tr.Body) {
			// Never take a guarded trigger for the original: that made the
			// guard of a killed restore permanent.
			return nil, plan, nil, fmt.Errorf("trigger %q on %q is still guarded by another project restore, running or interrupted: wait for it to finish, or run `lifeboat status` to repair it: %w", tr.Name, tr.Table, ErrRefused)
		}
		if _, err := tr.head(); tr.Affects() && err != nil {
			return nil, plan, nil, fmt.Errorf("%w: %w", err, ErrRefused)
		}
		plan.Triggers = append(plan.Triggers, tr.Describe())
	}
	err = countPlan(ctx, conn, g, o, &plan)
	return g, plan, trs, err
}

// countPlan fills the plan's per-table counts, tree and warnings from one
// consistent read.
func countPlan(ctx context.Context, conn *sql.Conn, g *Graph, o RestoreOptions, plan *Plan) error {
	if _, err := conn.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	var err error
	plan.CurrentName, plan.ProjectExists, err = projectName(ctx, conn, g, o.ID)
	if err != nil {
		return err
	}
	counts := map[string]int64{}
	diffs := map[string]*tableDiff{}
	for _, t := range g.Order {
		d, err := diffTable(ctx, conn, g, t, o.ID, o.Backup.Meta.Tables[t].Columns, o.Backup.Rows[t])
		if err != nil {
			return err
		}
		diffs[t] = d
		// Delete counts what replace() will delete, changed rows included.
		plan.Tables = append(plan.Tables, TablePlan{Table: t, Delete: int64(len(d.Delete)), Insert: int64(len(d.Insert)),
			Changed: int64(len(d.Delete)) - d.Gone - d.Strays, Unchanged: d.Unchanged})
		if d.Strays > 0 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("table %q: %d stranded rows (their parent row is gone) hold keys of backup rows and will be replaced by them", t, d.Strays))
		}
		counts[t] = d.Unchanged + int64(len(d.Delete)) - d.Strays
	}
	plan.Tree = g.Tree(counts)
	// Upward rows (users, languages) are not restored: they must be there.
	refs, _ := planOrphanChecks(g, diffs, o.Backup.Meta)
	for _, c := range refs {
		if g.Has(c.link.RefTable) {
			continue // restored with the project; checked before COMMIT
		}
		n, err := c.missing(ctx, conn)
		if err != nil {
			return err
		}
		if n > 0 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("rows of %q in the backup point at %d rows of %q that no longer exist (%s): the restore will be refused until they are recreated", c.link.Table, n, c.link.RefTable, c.link))
		}
	}
	return nil
}

// apply is the restore transaction.
func apply(ctx context.Context, conn *sql.Conn, g *Graph, gd guard, o RestoreOptions) (res Result, err error) {
	res = Result{Inserted: map[string]int64{}, Deleted: map[string]int64{}}
	for _, s := range []string{"SET SESSION foreign_key_checks = 0", gd.silence(), "START TRANSACTION"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return res, fmt.Errorf("project %s restore: %s: %w", o.ID, s, err)
		}
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			err = fmt.Errorf("%w (%w: nothing was changed)", err, ErrRolledBack)
		}
	}()
	// Every table's diff comes first: membership of a child table depends
	// on its parents' current rows.
	diffs := map[string]*tableDiff{}
	for _, t := range g.Order {
		d, err := diffTable(ctx, conn, g, t, o.ID, o.Backup.Meta.Tables[t].Columns, o.Backup.Rows[t])
		if err != nil {
			return res, err
		}
		diffs[t] = d
	}
	refs, checks := planOrphanChecks(g, diffs, o.Backup.Meta)
	before, err := countOrphans(ctx, conn, checks)
	if err != nil {
		return res, err
	}
	if err := replace(ctx, conn, g, o, diffs, &res); err != nil {
		return res, err
	}
	if err := verify(ctx, conn, g, o); err != nil {
		return res, err
	}
	after, err := countOrphans(ctx, conn, checks)
	if err != nil {
		return res, err
	}
	for _, c := range refs {
		n, err := c.missing(ctx, conn)
		if err != nil {
			return res, err
		}
		if n > 0 {
			l := c.link
			return res, fmt.Errorf("project %s restore: rows of %q in the backup point at %d rows of %q that no longer exist (%s); recreate them first", o.ID, l.Table, n, l.RefTable, l)
		}
	}
	for i, c := range checks {
		if after[i] > before[i] {
			l := c.link
			return res, fmt.Errorf("project %s restore: %d rows of %q would point at missing rows of %q (%s); restore or recreate the referenced rows first", o.ID, after[i]-before[i], l.Table, l.RefTable, l)
		}
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return res, fmt.Errorf("project %s restore: commit: %w", o.ID, err)
	}
	committed = true
	return res, nil
}

// replace deletes (children first), then inserts (parents first).
func replace(ctx context.Context, conn *sql.Conn, g *Graph, o RestoreOptions, diffs map[string]*tableDiff, res *Result) error {
	tr := o.Tracker
	if tr != nil {
		var total int64
		for _, d := range diffs {
			total += int64(len(d.Insert))
		}
		tr.SetTablesTotal(int64(len(g.Order)))
		tr.SetRowsTotal(total)
	}
	for i := len(g.Order) - 1; i >= 0; i-- {
		d := diffs[g.Order[i]]
		if err := deleteRows(ctx, conn, g.Table(d.Table), d.Delete); err != nil {
			return err
		}
		res.Deleted[d.Table] = int64(len(d.Delete))
	}
	for _, t := range g.Order {
		d := diffs[t]
		if tr != nil {
			tr.SetTable(t)
		}
		if err := insertRows(ctx, conn, t, o.Backup.Meta.Tables[t].Columns, d.Insert, tr); err != nil {
			return err
		}
		res.Inserted[t] = int64(len(d.Insert))
		if tr != nil {
			tr.TableDone()
		}
	}
	return nil
}

// verify reads the project's rows back: they must equal the backup's.
func verify(ctx context.Context, conn *sql.Conn, g *Graph, o RestoreOptions) error {
	for _, t := range g.Order {
		d, err := diffTable(ctx, conn, g, t, o.ID, o.Backup.Meta.Tables[t].Columns, o.Backup.Rows[t])
		if err != nil {
			return err
		}
		if len(d.Delete) > 0 || len(d.Insert) > 0 {
			return fmt.Errorf("project %s restore: table %q does not read back as backed up (%d extra, %d missing rows%s): something rewrote rows during the restore", o.ID, t, len(d.Delete), len(d.Insert), firstDifference(g.Table(t), o.Backup.Meta.Tables[t].Columns, d))
		}
	}
	return nil
}

// firstDifference names a column that differs between a missing backup row
// and an extra current row, for the error message.
func firstDifference(t *Table, bcols []Column, d *tableDiff) string {
	if len(d.Delete) == 0 || len(d.Insert) == 0 {
		return ""
	}
	cur, want := d.Delete[0], d.Insert[0]
	for i, c := range bcols {
		for j, cc := range t.Columns {
			if cc.Name == c.Name && fmt.Sprint(cur[j]) != fmt.Sprint(want[i]) {
				return fmt.Sprintf("; e.g. column %q reads %.40q, backup has %.40q", c.Name, fmt.Sprint(cur[j]), fmt.Sprint(want[i]))
			}
		}
	}
	return ""
}
