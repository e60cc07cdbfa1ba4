package engine

import (
	"context"
	"strings"
	"testing"
)

// TestPartsPlanSaysInPlace: a whole-server restore is not swapped; its
// plan says so for every database, with the reason, and so does its
// result, and it keeps no __lifeboat_prev_ schema.
func TestPartsPlanSaysInPlace(t *testing.T) {
	src := newServerFixture(t)
	e := serverEngine(t, src, serverDatabases, false)
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Parts == nil || len(plan.Parts.Databases) != len(serverDatabases) {
		t.Fatalf("plan parts %+v", plan.Parts)
	}
	if plan.Mode != ModeInPlace || !strings.Contains(plan.ModeReason, "several databases") {
		t.Errorf("plan mode %q (%q)", plan.Mode, plan.ModeReason)
	}
	for _, d := range plan.Parts.Databases {
		if d.Mode != ModeInPlace || d.ModeReason != plan.ModeReason || !d.SafetyBackup {
			t.Errorf("database %s: mode %q (%q), safety backup %v", d.Target, d.Mode, d.ModeReason, d.SafetyBackup)
		}
	}
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != ModeInPlace || res.ModeReason != plan.ModeReason || res.Previous != "" || len(res.Parts.Databases) != len(serverDatabases) {
		t.Errorf("result mode %q (%q), previous %q, parts %+v", res.Mode, res.ModeReason, res.Previous, res.Parts.Databases)
	}
	pool, err := src.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if kept := queryAll(t, pool, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\_\_lifeboat\_%'`); len(kept) != 0 {
		t.Errorf("a whole-server restore left %v", kept)
	}
}
