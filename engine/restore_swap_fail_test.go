package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// swapFixture is a database big enough that a restore's load lasts a
// while, with a trigger and a view, backed up, then changed: "old" is the
// changed state, "new" the backup's.
func swapFixture(t *testing.T, rows int) (*testdb.DB, *Engine, string, map[string]string, map[string]string) {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(100), KEY (v))",
		fmt.Sprintf("INSERT INTO big SELECT seq, REPEAT(CHAR(65 + seq %% 26), 60) FROM seq_1_to_%d", rows),
		"CREATE TABLE gen (g VARCHAR(10))", "INSERT INTO gen VALUES ('new')",
		"CREATE TABLE log (n INT)", "CREATE TRIGGER big_ai AFTER INSERT ON big FOR EACH ROW INSERT INTO log VALUES (NEW.id)",
		"CREATE VIEW v_gen AS SELECT g FROM gen",
		"CREATE EVENT ev_gen ON SCHEDULE EVERY 1 DAY STARTS '2031-01-01 00:00:00' DO DELETE FROM log WHERE n < 0")
	e := backupEngine(t, d, "gzip")
	b, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	neu := swapFingerprint(t, d, d.Name)
	d.MustExec(t, "UPDATE gen SET g = 'old'", "DELETE FROM big WHERE id <= 10", "CREATE TABLE only_old (id INT)")
	old := swapFingerprint(t, d, d.Name)
	t.Cleanup(func() { dropKept(t, d) })
	return d, e, b.Filename, old, neu
}

// killShadowLoad kills one connection loading into the copy shadow, from
// pool, once rows are arriving.
func killShadowLoad(t *testing.T, pool *sql.DB, shadow string, done chan<- int64) progress.Func {
	var once sync.Once
	return func(s progress.Snapshot) {
		if s.Op != "restore" || s.Rows == 0 || s.Done {
			return
		}
		once.Do(func() {
			go func() {
				var id int64
				var err error
				for range 100 {
					err = pool.QueryRow("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID() ORDER BY ID DESC LIMIT 1", shadow).Scan(&id)
					if err == nil {
						break
					}
					time.Sleep(10 * time.Millisecond)
				}
				if err == nil {
					_, err = pool.Exec(fmt.Sprintf("KILL %d", id))
				}
				if err != nil {
					t.Errorf("kill a loading connection: %v", err)
				}
				done <- id
			}()
		})
	}
}

// TestSwapLoadKilled: a connection of the load killed
// from another session, or a cancelled context, leaves the live database
// exactly as it was, drops the copy, and the message says so.
func TestSwapLoadKilled(t *testing.T) {
	d, e, name, old, _ := swapFixture(t, 150000)
	killed := make(chan int64, 1)
	res, err := e.Restore(context.Background(), name, RestoreOptions{}, killShadowLoad(t, d.DB, d.Name+shadowMarker, killed))
	select {
	case <-killed:
	case <-time.After(30 * time.Second):
		t.Fatalf("nothing was killed: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("database %q is unchanged", d.Name)) || !strings.Contains(err.Error(), "copy was dropped") {
		t.Fatalf("restore with a killed load: %v", err)
	}
	t.Logf("message: %v", err)
	if res.Mode != ModeSwap || res.SafetyBackup != "" {
		t.Errorf("result %+v", res)
	}
	sameFingerprint(t, old, swapFingerprint(t, d, d.Name))
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 0 {
		t.Errorf("left behind: %v", s)
	}

	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		var once sync.Once
		_, err := e.Restore(ctx, name, RestoreOptions{}, func(s progress.Snapshot) {
			if s.Op == "restore" && s.Rows > 0 {
				once.Do(cancel)
			}
		})
		if err == nil || !strings.Contains(err.Error(), "unchanged") || !strings.Contains(err.Error(), "copy was dropped") {
			t.Fatalf("cancelled restore: %v", err)
		}
		sameFingerprint(t, old, swapFingerprint(t, d, d.Name))
		if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 0 {
			t.Errorf("left behind: %v", s)
		}
	})
}

// TestSwapWindowKilled kills the swap's own connection from
// another session just before the RENAME TABLE (live stays wholly old)
// and just after it (lifeboat finishes on a new connection: wholly new),
// and each message says which.
func TestSwapWindowKilled(t *testing.T) {
	d, e, name, old, neu := swapFixture(t, 2000)
	for _, c := range []struct {
		stage, says string
		want        map[string]string
	}{
		{"rename", "is unchanged (wholly the old data)", old},
		{"objects", "is wholly the backup's data", neu},
	} {
		t.Run(c.stage, func(t *testing.T) {
			before := swapFingerprint(t, d, d.Name)
			swapStageHook = func(stage string, id int64) {
				if stage == c.stage {
					if _, err := d.DB.Exec(fmt.Sprintf("KILL %d", id)); err != nil {
						t.Errorf("kill: %v", err)
					}
				}
			}
			defer func() { swapStageHook = nil }()
			_, err := e.Restore(context.Background(), name, RestoreOptions{}, nil)
			if err == nil || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), "during the swap") {
				t.Fatalf("restore killed at %s: %v", c.stage, err)
			}
			t.Logf("message: %v", err)
			got := swapFingerprint(t, d, d.Name)
			if c.stage == "rename" {
				sameFingerprint(t, before, got)
			} else {
				sameFingerprint(t, c.want, got)
			}
			if in := e.Interrupted(); len(in) != 0 {
				t.Errorf("a settled swap left a journal: %v", in)
			}
			if s := schemaCount(t, d, likePrefix(d.Name)+"new"); len(s) != 0 {
				t.Errorf("the copy is left: %v", s)
			}
		})
	}
	if maps.Equal(old, neu) {
		t.Fatal("old and new are the same; the test proves nothing")
	}
}

// TestSwapUndo: restore --undo swaps the kept tables back (under a
// second), keeping what it replaced, so a second undo redoes the restore.
func TestSwapUndo(t *testing.T) {
	d, e, name, old, neu := swapFixture(t, 20000)
	ctx := context.Background()
	if _, err := e.PlanUndo(ctx, ""); !errors.Is(err, ErrNothingToUndo) {
		t.Fatalf("undo before any swap: %v", err)
	}
	res, err := e.Restore(ctx, name, RestoreOptions{}, nil)
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("restore %+v: %v", res, err)
	}
	sameFingerprint(t, neu, swapFingerprint(t, d, d.Name))
	p, err := e.PlanUndo(ctx, "")
	if err != nil || p.From != res.Previous || !slices.Contains(p.Tables, "only_old") {
		t.Fatalf("undo plan %+v (%v), want %s with only_old", p, err, res.Previous)
	}
	u, err := e.Undo(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("undo: window %v, total %v", u.SwapWindow, u.Duration)
	if u.From != res.Previous || u.Previous == "" || u.Previous == u.From || u.Duration > time.Second {
		t.Errorf("undo %+v", u)
	}
	sameFingerprint(t, old, swapFingerprint(t, d, d.Name))
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 1 || s[0] != u.Previous {
		t.Errorf("schemas after undo: %v, want only %s", s, u.Previous)
	}
	if _, err := e.Undo(ctx, ""); err != nil {
		t.Fatal(err)
	}
	sameFingerprint(t, neu, swapFingerprint(t, d, d.Name))
}

// TestSwapKeepPrevious: a swap restore keeps at most
// max(backup.keep_previous, 1) previous states, status shows their size,
// and prune drops those beyond backup.keep_previous.
func TestSwapKeepPrevious(t *testing.T) {
	d, e, name, _, _ := swapFixture(t, 5000)
	ctx := context.Background()
	e.Cfg.Backup.KeepPrevious = 1
	var last string
	for range 2 {
		res, err := e.Restore(ctx, name, RestoreOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		last = res.Previous
	}
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 1 || s[0] != last {
		t.Fatalf("after two restores with keep_previous 1: %v, want only %s", s, last)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Previous) != 1 || st.Previous[0].Name != last || st.Previous[0].Bytes <= 0 {
		t.Fatalf("status previous %+v", st.Previous)
	}
	e.Cfg.Backup.KeepPrevious = 0
	dry, err := e.Prune(ctx, PruneOptions{DryRun: true})
	if err != nil || len(dry.Previous.Dropped) != 1 || len(schemaCount(t, d, likePrefix(d.Name))) != 1 {
		t.Fatalf("dry-run prune %+v (%v): want it to name %s and keep it", dry.Previous, err, last)
	}
	pr, err := e.Prune(ctx, PruneOptions{})
	if err != nil || len(pr.Previous.Dropped) != 1 || pr.Previous.Dropped[0] != last || pr.Previous.Freed != st.Previous[0].Bytes {
		t.Fatalf("prune %+v (%v)", pr.Previous, err)
	}
	if s := schemaCount(t, d, likePrefix(d.Name)); len(s) != 0 {
		t.Fatalf("after prune with keep_previous 0: %v", s)
	}

	// --into another database keeps keep_previous of its kept states too
	// (status and prune look at database.name's only).
	e.Cfg.Backup.KeepPrevious = 1
	other := d.Name + "_x"
	defer d.MustExec(t, "DROP DATABASE IF EXISTS "+quoteIdent(other))
	for range 3 { // the first creates it in place, the next two swap
		if _, err := e.Restore(ctx, name, RestoreOptions{Into: other}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if s := schemaCount(t, d, likePrefix(other)); len(s) != 1 {
		t.Errorf("after three restores --into %s with keep_previous 1: %v, want one kept state", other, s)
	}
	for _, s := range schemaCount(t, d, likePrefix(other)) {
		d.MustExec(t, "DROP DATABASE IF EXISTS "+quoteIdent(s))
	}
}

// TestSwapCopyLeftover: a copy left by a killed restore is named by status
// and check, and the next restore drops it.
func TestSwapCopyLeftover(t *testing.T) {
	d, e, name, _, neu := swapFixture(t, 100)
	ctx := context.Background()
	shadow := d.Name + shadowMarker
	d.MustExec(t, "CREATE DATABASE `"+shadow+"`", "CREATE TABLE `"+shadow+"`.half (id INT)")
	st, err := e.Status(ctx)
	if err != nil || !slices.ContainsFunc(st.Warnings, func(w string) bool { return strings.Contains(w, shadow) && strings.Contains(w, "DROP DATABASE") }) {
		t.Fatalf("status warnings %v (%v): want the leftover copy", st.Warnings, err)
	}
	cr, err := e.Check(ctx, CheckOptions{})
	if err != nil || !slices.ContainsFunc(cr.Problems, func(p CheckProblem) bool { return p.Check == "swap_copy" && p.Status == CheckWarning }) {
		t.Fatalf("check %+v (%v): want a swap_copy warning", cr, err)
	}
	if _, err := e.Restore(ctx, name, RestoreOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	sameFingerprint(t, neu, swapFingerprint(t, d, d.Name))
	if s := schemaCount(t, d, likePrefix(d.Name)+"new"); len(s) != 0 {
		t.Errorf("the leftover copy is still there: %v", s)
	}
}
