package engine

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// benchLikeFixture is a database shaped like the bench's mixed dataset:
// a big table with a secondary index, a table of blobs, a log without a
// primary key, 50 small lookups, two triggers, two views and a
// procedure, backed up and then changed.
func benchLikeFixture(t *testing.T, rows int) (*testdb.DB, *Engine, string) {
	t.Helper()
	d := testdb.New(t)
	stmts := []string{
		"CREATE TABLE events (id INT PRIMARY KEY, kind VARCHAR(20), payload VARCHAR(200), at DATETIME, KEY (kind, at))",
		fmt.Sprintf("INSERT INTO events SELECT seq, CONCAT('k', seq %% 37), REPEAT(CHAR(65 + seq %% 26), 120), '2026-01-01' + INTERVAL seq SECOND FROM seq_1_to_%d", rows),
		"CREATE TABLE documents (id INT PRIMARY KEY, body MEDIUMBLOB)",
		"INSERT INTO documents SELECT seq, RANDOM_BYTES(1000) FROM seq_1_to_2000",
		"CREATE TABLE audit_log (who VARCHAR(20), what VARCHAR(100))",
		fmt.Sprintf("INSERT INTO audit_log SELECT CONCAT('u', seq %% 50), REPEAT('x', 80) FROM seq_1_to_%d", rows/5),
		"CREATE TABLE gen (g VARCHAR(10))", "INSERT INTO gen VALUES ('new')",
		"CREATE TRIGGER events_ai AFTER INSERT ON events FOR EACH ROW INSERT INTO audit_log VALUES ('trg', NEW.kind)",
		"CREATE TRIGGER documents_bu BEFORE UPDATE ON documents FOR EACH ROW SET NEW.body = NEW.body",
		"CREATE VIEW v_gen AS SELECT g FROM gen",
		"CREATE VIEW v_kinds AS SELECT kind, COUNT(*) AS n FROM events GROUP BY kind",
		"CREATE PROCEDURE p_count() SELECT COUNT(*) FROM events",
	}
	for i := 1; i <= 50; i++ {
		stmts = append(stmts, fmt.Sprintf("CREATE TABLE lookup_%02d (id INT PRIMARY KEY, name VARCHAR(40))", i),
			fmt.Sprintf("INSERT INTO lookup_%02d SELECT seq, CONCAT('name ', seq) FROM seq_1_to_%d", i, 10+i*9))
	}
	d.MustExec(t, stmts...)
	e := backupEngine(t, d, "zstd")
	b, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "UPDATE gen SET g = 'old'", "DELETE FROM events WHERE id <= 10")
	t.Cleanup(func() { dropKept(t, d) })
	return d, e, b.Filename
}

// TestSwapWindowSteps restores a bench-like database of 53 tables and
// 300k rows by swap and times every statement of the window, with the
// server's fsyncs during the RENAME. Only the triggers are re-created in
// the window (its views and procedure are unchanged), and the window is
// reported statement by statement (issue 18: milliseconds, not seconds;
// the bench's target is 100 ms). The bound asserted is loose: on a
// loaded machine each fsync of the RENAME takes milliseconds.
func TestSwapWindowSteps(t *testing.T) {
	d, e, name := benchLikeFixture(t, 300000)
	var steps []swapStep
	swapStepsHook = func(s []swapStep) { steps = s }
	fsyncs := func() (n int64) {
		if err := d.DB.QueryRow("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_DATA_FSYNCS'").Scan(&n); err != nil {
			t.Error(err)
		}
		return n
	}
	var before, renameFsyncs int64
	swapStageHook = func(stage string, _ int64) {
		switch stage {
		case "rename":
			before = fsyncs()
		case "objects":
			renameFsyncs = fsyncs() - before
		}
	}
	defer func() { swapStepsHook, swapStageHook = nil, nil }()
	res, err := e.Restore(context.Background(), name, RestoreOptions{}, nil)
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("restore %+v: %v", res, err)
	}
	var g string
	if err := d.DB.QueryRow("SELECT g FROM gen").Scan(&g); err != nil || g != "new" {
		t.Fatalf("after the swap gen holds %q (%v), want the backup's \"new\"", g, err)
	}
	logSteps(t, steps)
	t.Logf("swap window %v, restore %v; the RENAME of 106 tables (53 out, 53 in) cost %d fsyncs", res.SwapWindow, res.Duration, renameFsyncs)
	count := map[string]int{}
	for _, s := range steps {
		switch {
		case strings.HasPrefix(s.SQL, "DROP TRIGGER"):
			count["drop trigger"]++
		case strings.HasPrefix(s.SQL, "RENAME TABLE"):
			count["rename"]++
		case strings.HasPrefix(s.SQL, "CREATE OR REPLACE") && strings.Contains(s.SQL, " TRIGGER "):
			count["create trigger"]++
		case strings.HasPrefix(s.SQL, "CREATE"):
			t.Errorf("an unchanged object was re-created in the window: %s", s.SQL)
		}
	}
	if count["drop trigger"] != 2 || count["rename"] != 1 || count["create trigger"] != 2 {
		t.Errorf("window statements %v: want the 2 triggers dropped, one RENAME, the 2 triggers created", count)
	}
	if res.SwapWindow > 5*time.Second {
		t.Fatalf("swap window %v: want milliseconds", res.SwapWindow)
	}
}

// logSteps logs the window's statements, slowest first, and the total
// per kind of statement.
func logSteps(t *testing.T, steps []swapStep) {
	t.Helper()
	byKind := map[string]time.Duration{}
	count := map[string]int{}
	var total time.Duration
	for _, s := range steps {
		w := strings.Fields(s.SQL)
		k := strings.Join(w[:min(2, len(w))], " ")
		byKind[k] += s.Took
		count[k]++
		total += s.Took
	}
	sorted := append([]swapStep(nil), steps...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Took > sorted[j].Took })
	for _, s := range sorted[:min(8, len(sorted))] {
		t.Logf("  %8.2f ms  %s", float64(s.Took.Microseconds())/1000, s.SQL)
	}
	for k, v := range byKind {
		t.Logf("  kind %-22s %3d statements %8.2f ms", k, count[k], float64(v.Microseconds())/1000)
	}
	t.Logf("  %d statements, %.2f ms in all", len(steps), float64(total.Microseconds())/1000)
}
