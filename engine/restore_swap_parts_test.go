package engine

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// serverState is the fingerprint (CHECKSUM TABLE and rows) of every
// table of the fixture's databases, and whether their view and routines
// answer.
func serverState(t *testing.T, srv *sandbox.Server, pool *sql.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, db := range serverDatabases {
		for tb, fp := range fingerprint(t, srv, db) {
			out[db+"."+tb] = fp
		}
	}
	var cheap, total int
	if err := pool.QueryRow("SELECT COUNT(*) FROM blog.cheap").Scan(&cheap); err != nil {
		t.Fatalf("the cross-database view blog.cheap: %v", err)
	}
	if err := pool.QueryRow("SELECT crm.total()").Scan(&total); err != nil {
		t.Fatalf("the function crm.total: %v", err)
	}
	out["view blog.cheap"], out["function crm.total"] = fmt.Sprint(cheap), fmt.Sprint(total)
	return out
}

// lifeboatSchemas lists the copies and kept schemas on the server.
func lifeboatSchemas(t *testing.T, pool *sql.DB) []string {
	var out []string
	for _, r := range queryAll(t, pool, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\_\_lifeboat\_%' ORDER BY 1`) {
		out = append(out, r[0])
	}
	return out
}

// partsSwapFixture is the three-database fixture under database.names,
// its state, and a whole-server backup of it.
func partsSwapFixture(t *testing.T) (*sandbox.Server, *Engine, *sql.DB, map[string]string, BackupResult) {
	t.Helper()
	src := newServerFixture(t)
	e := serverEngine(t, src, serverDatabases, false)
	pool, err := src.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	want := serverState(t, src, pool)
	b, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return src, e, pool, want, b
}

// TestPartsSwapRestore: a whole-server restore over databases that are
// here swaps each of them in (no safety dump): the plan and the result
// say so per database, every table, view and routine comes back as the
// backup had it, each database keeps its old tables, and restore --undo
// --into puts one database's back. --in-place still restores in place.
func TestPartsSwapRestore(t *testing.T) {
	src, e, pool, want, b := partsSwapFixture(t)
	ctx := context.Background()
	execAll(t, src, "", "UPDATE shop.items SET price = price + 1", "DELETE FROM crm.customers WHERE id % 2 = 0",
		"CREATE TABLE blog.extra (id INT PRIMARY KEY)")
	changed := serverState(t, src, pool)

	plan, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Mode != ModeSwap || plan.SafetyBackup || plan.Parts == nil || len(plan.Parts.Databases) != len(serverDatabases) {
		t.Fatalf("plan mode %q (%q), safety backup %v, parts %+v", plan.Mode, plan.ModeReason, plan.SafetyBackup, plan.Parts)
	}
	for _, d := range plan.Parts.Databases {
		if d.Mode != ModeSwap || d.SafetyBackup {
			t.Errorf("plan of %s: mode %q (%q), safety backup %v", d.Target, d.Mode, d.ModeReason, d.SafetyBackup)
		}
	}
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != ModeSwap || len(res.Parts.Databases) != len(serverDatabases) {
		t.Fatalf("result %+v", res)
	}
	for _, d := range res.Parts.Databases {
		if d.Mode != ModeSwap || d.SafetyBackup != "" || !strings.HasPrefix(d.Previous, d.Target+prevMarker) {
			t.Errorf("result of %s: %+v", d.Target, d)
		}
		t.Logf("%s swapped in %v", d.Target, d.SwapWindow)
	}
	sameFingerprint(t, want, serverState(t, src, pool))
	if kept := lifeboatSchemas(t, pool); len(kept) != len(serverDatabases) {
		t.Errorf("kept schemas %v, want one per database", kept)
	}
	if ents, _ := audit.Read(e.dir(), 1); len(ents) != 1 || !strings.Contains(ents[0].Detail, "swapped in, the old tables kept in "+res.Parts.Databases[0].Previous) {
		t.Errorf("audit %+v", ents)
	}
	st, err := e.Status(ctx) // with database.names: every database's kept tables
	if err != nil || len(st.Previous) != len(serverDatabases) {
		t.Errorf("status lists kept %+v (%v), want one per database", st.Previous, err)
	}
	for _, k := range st.Previous {
		if !strings.HasPrefix(k.Name, k.Database+prevMarker) || !slices.Contains(serverDatabases, k.Database) {
			t.Errorf("kept %+v: not named for its database", k)
		}
	}
	if _, err := e.PlanUndo(ctx, ""); err == nil || !strings.Contains(err.Error(), "--into DB") {
		t.Errorf("undo without --into under database.names: %v, want it to ask which database", err)
	}

	u, err := e.Undo(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("undo of shop: %+v", u)
	after := serverState(t, src, pool)
	for k, w := range changed {
		if strings.HasPrefix(k, "shop.") && after[k] != w {
			t.Errorf("after the undo %s is %q, want it as before the restore, %q", k, after[k], w)
		}
		if strings.HasPrefix(k, "crm.") && after[k] != want[k] {
			t.Errorf("after shop's undo %s is %q, want it restored, %q", k, after[k], want[k])
		}
	}

	// A second restore keeping 3: each database has two kept states, and
	// prune with keep_previous 1 drops the older of each.
	e.Cfg.Backup.KeepPrevious = 3
	if _, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	e.Cfg.Backup.KeepPrevious = 1
	pr, err := e.Prune(ctx, PruneOptions{})
	if err != nil || len(pr.Previous.Dropped) != len(serverDatabases) {
		t.Errorf("prune dropped %+v (%v), want the older kept state of each database", pr.Previous, err)
	}
	if kept := lifeboatSchemas(t, pool); len(kept) != len(serverDatabases) {
		t.Errorf("after prune: %v, want one per database", kept)
	}

	plan, err = e.PlanRestore(ctx, b.Filename, RestoreOptions{InPlace: true})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Mode != ModeInPlace || plan.ModeReason != "--in-place was asked" || !plan.Parts.Databases[0].SafetyBackup {
		t.Errorf("--in-place plan: mode %q (%q), %+v", plan.Mode, plan.ModeReason, plan.Parts.Databases[0])
	}
}

// TestPartsSwapLoadKilled: a connection of the load killed mid-way
// leaves every database exactly as it was and no copy behind, and the
// message says so; a database the restore was creating is dropped again.
func TestPartsSwapLoadKilled(t *testing.T) {
	src := newServerFixture(t)
	execAll(t, src, "", "CREATE TABLE shop.bulk (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB",
		"INSERT INTO shop.bulk SELECT seq, REPEAT('x', 200) FROM shop.seq_1_to_200000",
		"CREATE DATABASE extra", "CREATE TABLE extra.t (id INT PRIMARY KEY)", "INSERT INTO extra.t VALUES (1)")
	e := serverEngine(t, src, append([]string{"extra"}, serverDatabases...), false)
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	execAll(t, src, "", "DROP DATABASE extra", "UPDATE shop.items SET price = price + 1")
	pool, err := src.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	before := serverState(t, src, pool)
	killed := make(chan int64, 1)
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, killShadowLoad(t, pool, "shop"+shadowMarker, killed))
	select {
	case <-killed:
	case <-time.After(60 * time.Second):
		t.Fatalf("nothing was killed: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), "are unchanged (not touched)") || !strings.Contains(err.Error(), "copies were dropped") {
		t.Fatalf("restore with a killed load: %+v, %v", res, err)
	}
	t.Logf("message: %v", err)
	sameFingerprint(t, before, serverState(t, src, pool))
	if left := lifeboatSchemas(t, pool); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if n := queryAll(t, pool, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'extra'"); len(n) != 0 {
		t.Errorf("the half-made new database extra was left: %v", n)
	}
}

// TestPartsSwapNewDatabase: a database of the file the server lacks is
// loaded directly (its plan says why) while the others swap, and all of
// them come back as the backup had them.
func TestPartsSwapNewDatabase(t *testing.T) {
	src, e, pool, want, b := partsSwapFixture(t)
	ctx := context.Background()
	execAll(t, src, "", "DROP DATABASE crm", "UPDATE shop.items SET price = 0")
	plan, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]string{}
	for _, d := range plan.Parts.Databases {
		modes[d.Target] = d.Mode
		if d.Target == "crm" && !strings.Contains(d.ModeReason, "loaded directly") {
			t.Errorf("crm's plan reason %q", d.ModeReason)
		}
	}
	if plan.Mode != ModeSwap || modes["crm"] != ModeInPlace || modes["shop"] != ModeSwap || modes["blog"] != ModeSwap {
		t.Fatalf("plan %q, per database %v", plan.Mode, modes)
	}
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Parts.Databases {
		if (d.Target == "crm") != (d.Previous == "") || d.Mode != modes[d.Target] {
			t.Errorf("result of %s: %+v", d.Target, d)
		}
	}
	sameFingerprint(t, want, serverState(t, src, pool))
	if kept := lifeboatSchemas(t, pool); len(kept) != 2 {
		t.Errorf("kept %v, want shop's and blog's", kept)
	}
}
