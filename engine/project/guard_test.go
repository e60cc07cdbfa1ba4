package project

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// triggerBodies reads every trigger's body in the test database.
func triggerBodies(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query("SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, b string
		if err := rows.Scan(&n, &b); err != nil {
			t.Fatal(err)
		}
		out[n] = b
	}
	return out
}

// insertItem inserts item id on one connection after running set there,
// and reports whether items_ai logged it (the trigger fired).
func insertItem(t *testing.T, ctx context.Context, c *sql.Conn, id string, set ...string) bool {
	t.Helper()
	for _, s := range append(set, "INSERT INTO items VALUES ("+id+", 200, 'probe', NULL, NULL)") {
		if _, err := c.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	var n int
	if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM log WHERE msg = ?", "item "+id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestTrust13GuardJournalRepair: a guarded trigger runs for every session
// but the restoring one, even one that sets the old variable or the guard's
// own; a backup taken meanwhile stores the original; a restore refuses to
// take the guard for the original; and once the restoring connection is
// gone, Repair puts the originals back from the journal and removes it.
func TestTrust13GuardJournalRepair(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	orig := triggerBodies(t, d.DB)
	dir := t.TempDir()
	bk := export(t, d.DB, graphCfg, "1", dir)
	b, err := ReadBackup(bk.Path)
	if err != nil {
		t.Fatal(err)
	}

	restoring, err := d.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer restoring.Raw(func(any) error { return driver.ErrBadConn })
	trs, err := LoadTriggers(ctx, restoring, d.Name, graphTables)
	if err != nil {
		t.Fatal(err)
	}
	gd, err := newGuard(ctx, restoring)
	if err != nil {
		t.Fatal(err)
	}
	jdir := filepath.Join(dir, "projects")
	if ok, err := journal(RestoreOptions{ID: "1", Backup: b, JournalDir: jdir, BackupName: filepath.Base(bk.Path)}, gd, trs); !ok || err != nil {
		t.Fatalf("journal: %v %v", ok, err)
	}
	if st, err := os.Stat(filepath.Join(jdir, JournalName)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("journal file: %v %v", st, err)
	}
	if _, err := guardTriggers(ctx, restoring, gd, trs); err != nil {
		t.Fatal(err)
	}
	guarded := triggerBodies(t, d.DB)
	if !Guarded(guarded["items_ai"]) || !strings.Contains(guarded["items_ai"], "CONNECTION_ID()") {
		t.Fatalf("items_ai not guarded: %q", guarded["items_ai"])
	}

	// Another session cannot silence the trigger: not with the old
	// variable, not even with the guard's own secret.
	secret := regexp.MustCompile(`@lifeboat_guard_[0-9a-f]{32}`).FindString(guarded["items_ai"])
	other, err := d.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if !insertItem(t, ctx, other, "3001", "SET @lifeboat_restore_guard = 1") {
		t.Error("a session that set @lifeboat_restore_guard silenced items_ai")
	}
	if !insertItem(t, ctx, other, "3002", "SET "+secret+" = 1") {
		t.Error("a session that set the guard's variable silenced items_ai from another connection")
	}
	if insertItem(t, ctx, restoring, "3003", gd.silence()) {
		t.Error("the restoring session did not pass its own guard")
	}

	// A backup taken now stores the originals, not the guards.
	bk2 := export(t, d.DB, graphCfg, "2", dir)
	for _, tr := range bk2.Meta.Triggers {
		if tr.Body != orig[tr.Name] || Guarded(tr.Statement) {
			t.Errorf("backup taken during the guard stores trigger %s as %q, want %q", tr.Name, tr.Body, orig[tr.Name])
		}
	}
	// A restore now refuses: the guard must never be taken for the original.
	if _, err := Restore(ctx, d.DB, graphCfg, RestoreOptions{ID: "1", Backup: b, DryRun: true}); err == nil || !strings.Contains(err.Error(), "still guarded") {
		t.Errorf("restore while guarded: %v", err)
	}
	// While the restoring connection lives, Repair leaves its guards alone.
	rep, err := Repair(ctx, d.DB, jdir)
	if err != nil || len(rep.Running) != 3 || len(rep.Repaired) != 0 || !Guarded(triggerBodies(t, d.DB)["items_ai"]) {
		t.Fatalf("repair during the restore: %+v, %v", rep, err)
	}

	// The restore dies: its connection is killed.
	d.MustExec(t, "KILL CONNECTION "+strconv.FormatInt(gd.connID, 10))
	waitGone(t, d.DB, gd.connID)
	rep, err = Repair(ctx, d.DB, jdir)
	if err != nil || len(rep.Repaired) != 3 || len(rep.Failed)+len(rep.Running) != 0 || !strings.Contains(strings.Join(rep.Repaired, "\n"), "project 1 from "+filepath.Base(bk.Path)) {
		t.Fatalf("repair after the kill: %+v, %v", rep, err)
	}
	for name, body := range triggerBodies(t, d.DB) {
		if body != orig[name] {
			t.Errorf("trigger %s after repair: %q, want %q", name, body, orig[name])
		}
	}
	if _, err := os.Stat(filepath.Join(jdir, JournalName)); !os.IsNotExist(err) {
		t.Errorf("journal still there after the repair: %v", err)
	}
	if !insertItem(t, ctx, other, "3004", "SET @lifeboat_restore_guard = 1") {
		t.Error("items_ai silenced after the repair")
	}
}

// TestTrust13OldGuardIsRepaired: the spoofable guard of earlier versions,
// left by a killed restore, is found and taken off without a journal.
func TestTrust13OldGuardIsRepaired(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	orig := triggerBodies(t, d.DB)
	d.MustExec(t, "CREATE OR REPLACE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW IF @lifeboat_restore_guard IS NULL THEN\n"+orig["items_ai"]+";\nEND IF")
	rep, err := Repair(ctx, d.DB, t.TempDir())
	if err != nil || len(rep.Repaired) != 1 || !strings.Contains(rep.Repaired[0], "items_ai") {
		t.Fatalf("repair: %+v, %v", rep, err)
	}
	if got := triggerBodies(t, d.DB)["items_ai"]; got != orig["items_ai"] {
		t.Errorf("items_ai after repair: %q", got)
	}
}

// waitGone polls the process list until connection id has ended.
func waitGone(t *testing.T, db *sql.DB, id int64) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if alive, err := connAlive(context.Background(), db, id); err == nil && !alive {
			return
		}
	}
	t.Fatalf("connection %d did not end", id)
}
