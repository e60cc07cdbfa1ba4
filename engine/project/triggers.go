package project

import (
	"context"
	"fmt"
	"sort"
)

// Triggers on the project's tables would change what a restore writes (a
// BEFORE INSERT that stamps a date) or write elsewhere (an AFTER INSERT
// that logs). A restore only deletes and inserts, so only INSERT and
// DELETE triggers matter. Before the restore transaction each of them is
// replaced, in one atomic CREATE OR REPLACE, by the same trigger wrapped in
// a guard that only the restoring session passes (guard.go), while every
// other session keeps running them unchanged. The originals are journaled
// first (journal.go); afterwards they are put back the same way, and a
// restore killed before that is repaired from the journal by the next
// lifeboat (repair.go). Nothing is ever without its trigger.

// lockWait bounds how long trigger DDL waits for a table's metadata lock.
const lockWait = "SET SESSION lock_wait_timeout = 30"

// Trigger is one trigger on a graph table.
type Trigger struct {
	Name      string `json:"name"`
	Table     string `json:"table"`
	Timing    string `json:"timing"` // BEFORE, AFTER
	Event     string `json:"event"`  // INSERT, DELETE, UPDATE
	Order     int    `json:"order"`
	Body      string `json:"body"`
	Statement string `json:"statement"` // SHOW CREATE TRIGGER's original statement
	SQLMode   string `json:"sql_mode"`
	Charset   string `json:"character_set_client"`
	Collation string `json:"collation_connection"`
}

// LoadTriggers reads the triggers on the given tables (nil: all tables).
func LoadTriggers(ctx context.Context, q querier, db string, tables []string) ([]Trigger, error) {
	in := map[string]bool{}
	for _, t := range tables {
		in[t] = true
	}
	rows, err := q.QueryContext(ctx, `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, ACTION_STATEMENT
FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER`, db)
	if err != nil {
		return nil, fmt.Errorf("read triggers of %s: %w", db, err)
	}
	var out []Trigger
	for rows.Next() {
		var tr Trigger
		if err := rows.Scan(&tr.Name, &tr.Table, &tr.Timing, &tr.Event, &tr.Order, &tr.Body); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read triggers of %s: %w", db, err)
		}
		if tables == nil || in[tr.Table] {
			out = append(out, tr)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read triggers of %s: %w", db, err)
	}
	rows.Close()
	for i := range out {
		tr := &out[i]
		var name, created, dbColl string
		err := q.QueryRowContext(ctx, "SHOW CREATE TRIGGER "+quote(tr.Name)).Scan(&name, &tr.SQLMode, &tr.Statement, &tr.Charset, &tr.Collation, &dbColl, &created)
		if err != nil {
			return nil, fmt.Errorf("read trigger %q on %q: %w", tr.Name, tr.Table, err)
		}
	}
	return out, nil
}

// Affects reports whether a restore's DELETE or INSERT fires the trigger.
func (tr Trigger) Affects() bool { return tr.Event == "INSERT" || tr.Event == "DELETE" }

// Describe says how the restore handles the trigger, for the dry run.
func (tr Trigger) Describe() string {
	if !tr.Affects() {
		return fmt.Sprintf("trigger %s (%s %s on %s): not fired (restore only deletes and inserts)", tr.Name, tr.Timing, tr.Event, tr.Table)
	}
	return fmt.Sprintf("trigger %s (%s %s on %s): silenced for the restoring session only (guarded by its connection id and a secret during the restore, journaled, then restored exactly); rows come back exactly as backed up", tr.Name, tr.Timing, tr.Event, tr.Table)
}

// original is the statement that puts the trigger back as it was.
func (tr Trigger) original() string {
	return "CREATE OR REPLACE " + tr.Statement[len("CREATE "):]
}

// recreate runs a trigger DDL with the trigger's own sql_mode and charset,
// then puts the session back.
func recreate(ctx context.Context, q querier, tr Trigger, stmt string) error {
	var mode, cs, coll string
	if err := q.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client, @@SESSION.collation_connection").Scan(&mode, &cs, &coll); err != nil {
		return err
	}
	set := "SET SESSION sql_mode = ?, SESSION character_set_client = ?, SESSION collation_connection = ?"
	if _, err := q.ExecContext(ctx, set, tr.SQLMode, tr.Charset, tr.Collation); err != nil {
		return fmt.Errorf("trigger %q: %w", tr.Name, err)
	}
	_, err := q.ExecContext(ctx, stmt)
	if _, err2 := q.ExecContext(ctx, set, mode, cs, coll); err == nil {
		err = err2
	}
	if err != nil {
		return fmt.Errorf("trigger %q on %q: %w", tr.Name, tr.Table, err)
	}
	return nil
}

// guardTriggers wraps every INSERT/DELETE trigger; the returned undo puts
// the originals back (call it even when guarding failed half-way). Undo
// takes its own connection: the restore's may have died with a cancel.
func guardTriggers(ctx context.Context, q querier, g guard, trs []Trigger) (undo func(context.Context, querier) error, err error) {
	var done []Trigger
	undo = func(ctx context.Context, q querier) error {
		var first error
		sort.SliceStable(done, func(i, j int) bool { return done[i].Order < done[j].Order })
		for _, tr := range done {
			if err := recreate(ctx, q, tr, tr.original()); err != nil && first == nil {
				first = fmt.Errorf("put back %w (its definition is journaled; the next lifeboat command repairs it)", err)
			}
		}
		return first
	}
	if len(trs) > 0 {
		if _, err := q.ExecContext(ctx, lockWait); err != nil {
			return undo, err
		}
	}
	for _, tr := range trs {
		if !tr.Affects() {
			continue
		}
		stmt, err := g.wrap(tr)
		if err != nil {
			return undo, err
		}
		if err := recreate(ctx, q, tr, stmt); err != nil {
			return undo, fmt.Errorf("guard %w", err)
		}
		done = append(done, tr)
	}
	return undo, nil
}
