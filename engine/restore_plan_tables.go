package engine

import (
	"context"
	"fmt"
	"sort"
)

// planTables fills the plan's Replaced, Dropped, Created and Views (issue
// 13 item 15): a restore drops and recreates the target, so what it holds
// now and is not in the backup is dropped, not replaced. Views are listed
// apart, never counted as tables. A file without a trusted manifest says
// what it holds only when read, so then only Dropped (everything now in
// the target) is known, with a warning.
func (e *Engine) planTables(ctx context.Context, plan *RestorePlan, name string) error {
	now, nowViews := map[string]bool{}, map[string]bool{}
	if plan.Exists {
		if err := e.targetObjects(ctx, plan.Database, now, nowViews); err != nil {
			return err
		}
	}
	m, err := e.restoreManifest(name)
	if err != nil {
		plan.Dropped = append(sortedKeys(now), sortedKeys(nowViews)...)
		if len(plan.Dropped) > 0 {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("the file has no trusted manifest: every one of the %d tables and views in %q is dropped, and what the file creates is known only when it is read", len(plan.Dropped), plan.Database))
		}
		return nil
	}
	inBackup := map[string]bool{}
	for t := range m.Tables {
		inBackup[t] = true
		if now[t] {
			plan.Replaced = append(plan.Replaced, t)
		} else {
			plan.Created = append(plan.Created, t)
		}
	}
	for _, v := range m.Objects["view"] {
		inBackup[v] = true
		plan.Views = append(plan.Views, v)
	}
	for t := range now {
		if !inBackup[t] {
			plan.Dropped = append(plan.Dropped, t)
		}
	}
	for v := range nowViews {
		if !inBackup[v] {
			plan.Dropped = append(plan.Dropped, v)
		}
	}
	for _, s := range [][]string{plan.Replaced, plan.Created, plan.Views, plan.Dropped} {
		sort.Strings(s)
	}
	return nil
}

// targetObjects reads the base tables and views of database db.
func (e *Engine) targetObjects(ctx context.Context, db string, tables, views map[string]bool) error {
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	rows, err := srv.QueryContext(ctx, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db)
	if err != nil {
		return fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, kind string
		if err := rows.Scan(&name, &kind); err != nil {
			return err
		}
		if kind == "VIEW" {
			views[name] = true
		} else {
			tables[name] = true
		}
	}
	return rows.Err()
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
