package engine

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// swapFingerprint is CHECKSUM TABLE and SHOW CREATE of every table, and
// SHOW CREATE of every view, routine, trigger and event of db, read with db
// as the current database.
func swapFingerprint(t *testing.T, d *testdb.DB, db string) map[string]string {
	t.Helper()
	ctx := context.Background()
	pool, err := d.Server.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	c, err := pool.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	objs, err := readSchemaObjects(ctx, c, db)
	if err != nil {
		t.Fatal(err)
	}
	fp := map[string]string{}
	for _, tb := range objs.tables {
		var name, sum, create sql.NullString
		if err := c.QueryRowContext(ctx, "CHECKSUM TABLE "+quoteIdent(tb)+" EXTENDED").Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "SHOW CREATE TABLE "+quoteIdent(tb)).Scan(&name, &create); err != nil {
			t.Fatal(err)
		}
		fp["table "+tb] = sum.String + " " + create.String
	}
	for _, o := range objs.objects {
		fp[o.kind+" "+o.name] = o.create + " | " + o.sqlMode
	}
	return fp
}

func schemaCount(t *testing.T, d *testdb.DB, like string) []string {
	t.Helper()
	rows, err := d.DB.Query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? ORDER BY 1", like)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func likePrefix(db string) string { return strings.ReplaceAll(db, "_", `\_`) + `\_\_lifeboat\_%` }

// TestSwapRestoreTorture restores lifeboat's own backup of the torture
// schema (sequences, views on views, routines) over a changed database
// with a trigger and an event: the swap is the default mode, no safety
// dump is taken, the database ends exactly as backed up, the previous
// state (with its trigger, event and the stray table) is kept whole in
// the __lifeboat_prev_ schema, and no copy is left behind.
func TestSwapRestoreTorture(t *testing.T) {
	d := bkTorture(t)
	d.MustExec(t, "CREATE TABLE trg_log (n INT)", "CREATE TRIGGER trg_ai AFTER INSERT ON trg_log FOR EACH ROW SET @x = NEW.n",
		"CREATE EVENT ev_swap ON SCHEDULE EVERY 1 DAY STARTS '2031-01-01 00:00:00' DO DELETE FROM trg_log WHERE n < 0")
	e := backupEngine(t, d, "zstd")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := swapFingerprint(t, d, d.Name)
	d.MustExec(t, "CREATE TABLE stray (id INT)", "INSERT INTO trg_log VALUES (7)", "DROP TRIGGER trg_ai",
		"CREATE TRIGGER trg_changed BEFORE INSERT ON trg_log FOR EACH ROW SET NEW.n = NEW.n + 1")
	changed := swapFingerprint(t, d, d.Name)
	if maps.Equal(want, changed) {
		t.Fatal("the change did not change the fingerprint; the test proves nothing")
	}
	plan, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Mode != ModeSwap || plan.ModeReason != "" || plan.SafetyBackup {
		t.Fatalf("plan: mode %q (%q), safety backup %v; want a swap without a safety dump", plan.Mode, plan.ModeReason, plan.SafetyBackup)
	}
	res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != ModeSwap || res.SafetyBackup != "" || !strings.HasPrefix(res.Previous, d.Name+prevMarker) || res.SwapWindow <= 0 || res.Note != "" {
		t.Fatalf("result %+v", res)
	}
	t.Logf("swap window %v, restore %v", res.SwapWindow, res.Duration)
	sameFingerprint(t, want, swapFingerprint(t, d, d.Name))
	kept := swapFingerprint(t, d, res.Previous)
	for k, v := range changed {
		if k == "EVENT ev_swap" {
			continue // kept disabled
		}
		if kept[k] != v {
			t.Errorf("kept copy %s: %q, want %q", k, kept[k], v)
		}
	}
	if !strings.Contains(kept["EVENT ev_swap"], "DISABLE ON SLAVE") {
		t.Errorf("kept event %q is not disabled", kept["EVENT ev_swap"])
	}
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 1 || s[0] != res.Previous {
		t.Errorf("schemas left: %v, want only %s", s, res.Previous)
	}
	dropKept(t, d)
}

// dropKept removes the test's kept schemas (the shared server outlives it).
func dropKept(t *testing.T, d *testdb.DB) {
	for _, s := range schemaCount(t, d, likePrefix(d.Name)) {
		d.MustExec(t, fmt.Sprintf("DROP DATABASE IF EXISTS %s", quoteIdent(s)))
	}
}

func sameFingerprint(t *testing.T, want, got map[string]string) {
	t.Helper()
	if len(want) < 5 {
		t.Fatalf("fingerprint too small to mean anything: %v", want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s differs:\n want %q\n got  %q", k, w, g)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("restored has extra %s", k)
		}
	}
}
