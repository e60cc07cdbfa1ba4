package engine

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestSwapFallback: when the swap cannot work the plan says in place and
// why, and the restore runs in place with a safety backup: --in-place,
// too little free space, a foreign key from another database, an account
// without rights on the copy's schema, --into a database that does not
// exist.
func TestSwapFallback(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE parent (id INT PRIMARY KEY)", "INSERT INTO parent VALUES (1),(2)")
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	plan := func(t *testing.T, e *Engine, opts RestoreOptions, want string) RestorePlan {
		t.Helper()
		p, err := e.PlanRestore(ctx, b.Filename, opts)
		if err != nil {
			t.Fatal(err)
		}
		if p.Mode != ModeInPlace || !strings.Contains(p.ModeReason, want) {
			t.Fatalf("plan mode %q reason %q, want in place because %q", p.Mode, p.ModeReason, want)
		}
		return p
	}
	if p, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{}); err != nil || p.Mode != ModeSwap {
		t.Fatalf("baseline plan %q %q (%v): want a swap, or the cases below prove nothing", p.Mode, p.ModeReason, err)
	}

	t.Run("in-place", func(t *testing.T) {
		if p := plan(t, e, RestoreOptions{InPlace: true}, "--in-place"); !p.SafetyBackup {
			t.Error("in place without a safety backup")
		}
	})
	t.Run("free space", func(t *testing.T) {
		old := serverFreeBytes
		serverFreeBytes = func(context.Context, *sql.DB) (uint64, bool) { return 1 << 20, true }
		defer func() { serverFreeBytes = old }()
		plan(t, e, RestoreOptions{}, "not enough free space")
		d.MustExec(t, "INSERT INTO parent VALUES (3)")
		res, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Mode != ModeInPlace || res.SafetyBackup == "" || res.Previous != "" || !strings.Contains(res.ModeReason, "free space") {
			t.Fatalf("restore with too little space: %+v", res)
		}
		var n int
		if err := d.DB.QueryRow("SELECT COUNT(*) FROM parent").Scan(&n); err != nil || n != 2 {
			t.Fatalf("after the in-place restore parent has %d rows (%v), want 2", n, err)
		}
	})
	t.Run("foreign key from another database", func(t *testing.T) {
		other := d.Name + "_fk"
		d.MustExec(t, "CREATE DATABASE `"+other+"`",
			"CREATE TABLE `"+other+"`.child (id INT PRIMARY KEY, p INT, FOREIGN KEY (p) REFERENCES `"+d.Name+"`.parent (id))")
		defer d.MustExec(t, "DROP DATABASE `"+other+"`")
		plan(t, e, RestoreOptions{}, "foreign key(s) from other databases")
	})
	t.Run("privileges", func(t *testing.T) {
		d.MustExec(t, "CREATE USER IF NOT EXISTS 'swapless'@'localhost' IDENTIFIED BY 'pw-Swapless-1'",
			"GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, RELOAD ON *.* TO 'swapless'@'localhost'",
			"GRANT CREATE, DROP, INSERT, ALTER, INDEX, CREATE VIEW, CREATE ROUTINE, TRIGGER, EVENT ON `"+d.Name+"`.* TO 'swapless'@'localhost'")
		defer d.MustExec(t, "DROP USER 'swapless'@'localhost'")
		cfg := *e.Cfg
		cfg.Database.User, cfg.Database.Password = "swapless", "pw-Swapless-1"
		e2, err := Open(&cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer e2.Close()
		plan(t, e2, RestoreOptions{}, "lacks CREATE")
	})
	t.Run("into a missing database", func(t *testing.T) {
		p := plan(t, e, RestoreOptions{Into: d.Name + "_nope"}, "does not exist")
		if p.SafetyBackup {
			t.Error("a safety backup of nothing")
		}
	})
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 0 {
		t.Errorf("a fallback left schemas: %v", s)
	}
}
