package main

import (
	"strings"
	"testing"
)

// TestSwapCLI (issue 18): restore --dry-run says swap; restore --yes
// --json swaps and reports its window and the kept schema; restore --undo
// without --yes and a terminal refuses, with --yes --json puts the old
// rows back.
func TestSwapCLI(t *testing.T) {
	f := newFixture(t, "")
	b, _ := jsonReply[backupReply](t, f, "backup")
	name := b.Backup.Filename
	f.db.MustExec(t, "UPDATE customers SET name = 'changed' WHERE id = 1")
	t.Cleanup(func() {
		rows, _ := f.db.DB.Query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?", f.db.Name+"%lifeboat%")
		var names []string
		for rows != nil && rows.Next() {
			var s string
			rows.Scan(&s)
			names = append(names, s)
		}
		for _, s := range names {
			f.db.DB.Exec("DROP DATABASE `" + s + "`")
		}
	})
	plan, _ := jsonReply[restorePlanReply](t, f, "restore", name, "--dry-run")
	if plan.Plan.Mode != "swap" || plan.Plan.ModeReason != "" || plan.Plan.SafetyBackup {
		t.Fatalf("plan %+v", plan.Plan)
	}
	res, _ := jsonReply[restoreReply](t, f, "restore", name, "--yes")
	r := res.Restore
	if r.Mode != "swap" || r.SafetyBackup != "" || !strings.HasPrefix(r.Previous, f.db.Name+"__lifeboat_prev_") || r.SwapWindowMS < 0 || r.SwapWindowMS > 5000 {
		t.Fatalf("restore --json: %+v", r)
	}
	t.Logf("swap window %d ms, restore %d ms", r.SwapWindowMS, r.DurationMS)
	nameOf1 := func() string {
		var s string
		if err := f.db.DB.QueryRow("SELECT name FROM customers WHERE id = 1").Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := nameOf1(); got != "Åse 🚣" {
		t.Fatalf("after restore: %q", got)
	}
	st, _ := jsonReply[statusReply](t, f, "status")
	if len(st.Previous) != 1 || st.Previous[0].Schema != r.Previous || st.Previous[0].Bytes <= 0 {
		t.Errorf("status --json previous %+v, want %s with its size", st.Previous, r.Previous)
	}
	if h := f.run(t, "status"); !strings.Contains(h.stdout, "previous   "+r.Previous) {
		t.Errorf("status does not show the kept schema:\n%s", h.stdout)
	}
	if no := f.run(t, "restore", "--undo"); no.code == 0 || nameOf1() != "Åse 🚣" {
		t.Fatalf("undo without --yes nor a terminal: code %d %q", no.code, no.stderr)
	}
	u, _ := jsonReply[undoReply](t, f, "restore", "--undo", "--yes")
	if u.Undo.From != r.Previous || u.Undo.Previous == "" || u.Undo.Database != f.db.Name {
		t.Fatalf("undo --json: %+v", u.Undo)
	}
	if got := nameOf1(); got != "changed" {
		t.Fatalf("after undo: %q, want the changed row back", got)
	}
	// keep_previous = 0: prune drops the kept state.
	f.config = writeConfig(t, strings.Replace(readFile(t, f.config), "[backup]\n", "[backup]\nkeep_previous = 0\n", 1), 0o600)
	pr, _ := jsonReply[pruneReply](t, f, "prune", "--yes")
	if len(pr.Previous.Dropped) != 1 || pr.Previous.Dropped[0] != u.Undo.Previous || pr.Previous.Keep != 0 {
		t.Errorf("prune --json previous %+v, want %s dropped", pr.Previous, u.Undo.Previous)
	}
}
