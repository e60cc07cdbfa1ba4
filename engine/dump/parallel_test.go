package dump

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/demo"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestDemoParallelRoundTrip dumps the demo schema plus a table with keys
// spread over the whole BIGINT range, on three connections with small
// chunks, restores it with the stock client and compares everything.
func TestDemoParallelRoundTrip(t *testing.T) {
	d := testdb.New(t)
	if _, err := demo.Seed(context.Background(), d.DB, demo.Options{Scale: 0.05, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "CREATE TABLE wide_keys (id BIGINT PRIMARY KEY, v INT)",
		"INSERT INTO wide_keys SELECT (CAST(seq AS SIGNED) - 2500) * 3689348814741910, seq FROM seq_1_to_5000",
		"INSERT INTO wide_keys VALUES (-9223372036854775808, 0), (9223372036854775807, 0)",
		"ANALYZE TABLE wide_keys")
	want := fingerprint(t, d.DB, d.Name)
	var buf bytes.Buffer
	res, err := dumpTo(t, context.Background(), d.Server.Config(d.Name), d.Name, 3, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Consistency != ModeSharedSnapshot || res.Parallel != 3 || res.LockWindow <= 0 || res.LockWindow > 5*time.Second {
		t.Errorf("consistency %q on %d connections, lock window %v", res.Consistency, res.Parallel, res.LockWindow)
	}
	if res.Tables["wide_keys"] != 5002 {
		t.Errorf("wide_keys: %d rows dumped, want 5002", res.Tables["wide_keys"])
	}
	if n := strings.Count(buf.String(), "INSERT INTO `wide_keys`"); n < 3 {
		t.Errorf("wide_keys was not read in chunks (%d statements)", n)
	}
	checkShape2(t, buf.String())
	dst := testdb.NewServer(t, sandbox.Options{})
	testdb.LoadSQL(t, dst, "", bytes.NewReader(buf.Bytes()))
	ddb, err := dst.Open(d.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer ddb.Close()
	compareFingerprints(t, want, fingerprint(t, ddb, d.Name))

	// Whatever connection reads which chunk, the stream is the same,
	// apart from the comment lines that carry times.
	var again bytes.Buffer
	if _, err := dumpTo(t, context.Background(), d.Server.Config(d.Name), d.Name, 3, &again); err != nil {
		t.Fatal(err)
	}
	if body(buf.String()) != body(again.String()) {
		t.Error("two parallel dumps of the same data differ")
	}
}

func checkShape2(t *testing.T, s string) {
	if !strings.HasSuffix(s, "\n") || !strings.Contains(s[strings.LastIndex(s[:len(s)-1], "\n"):], "-- Dump completed on") {
		t.Error("no completion line")
	}
}

// body drops the lines that carry times and the consistency mode.
func body(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "--") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestNoReloadFallsBack dumps as an account without RELOAD: the dump still
// works, on one connection, and says why.
func TestNoReloadFallsBack(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2),(3)",
		"CREATE OR REPLACE USER 'lb_noreload'@'localhost' IDENTIFIED BY 'pw-not-in-args'",
		"GRANT SELECT, SHOW VIEW, EVENT, TRIGGER ON `"+d.Name+"`.* TO 'lb_noreload'@'localhost'")
	cfg := d.Server.Config(d.Name)
	cfg.User, cfg.Passwd = "lb_noreload", "pw-not-in-args"
	var buf bytes.Buffer
	res, err := dumpTo(t, context.Background(), cfg, d.Name, 3, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if res.Consistency != ModeSnapshot || res.Parallel != 1 || len(res.Notes) == 0 || !strings.Contains(res.Notes[0], "RELOAD") {
		t.Errorf("want a one-connection snapshot with a RELOAD note, got %q on %d, notes %v", res.Consistency, res.Parallel, res.Notes)
	}
	if res.Tables["t"] != 3 {
		t.Errorf("rows %v", res.Tables)
	}
}

// TestTableChangedDuringDump truncates a table after the snapshot began
// and before the dump reads it: error 1412 must fail the dump, naming it.
func TestTableChangedDuringDump(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE a_first (id INT PRIMARY KEY, v VARCHAR(200))",
		"INSERT INTO a_first SELECT seq, REPEAT('x', 150) FROM seq_1_to_60000",
		"CREATE TABLE b_changed (id INT PRIMARY KEY)", "INSERT INTO b_changed VALUES (1)")
	gate := &gateWriter{entered: make(chan struct{}), open: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := dumpTo(t, context.Background(), d.Server.Config(d.Name), d.Name, 1, gate)
		done <- err
	}()
	// The stream is written only after the snapshot is open and the plan
	// made; while the first Write blocks, the one reader stalls inside
	// a_first (60 chunks), before b_changed (issue 21 item 12).
	select {
	case <-gate.entered:
	case err := <-done:
		t.Fatalf("the dump ended before writing anything: %v", err)
	case <-time.After(2 * time.Minute): // hang guard
		t.Fatal("the dump never wrote")
	}
	d.MustExec(t, "TRUNCATE TABLE b_changed")
	close(gate.open)
	err := <-done
	var me *mysql.MySQLError
	if !errors.As(err, &me) || me.Number != 1412 || !strings.Contains(err.Error(), "b_changed") || !strings.Contains(err.Error(), "run the backup again") {
		t.Fatalf("want error 1412 naming b_changed, got %v", err)
	}
}

// gateWriter closes entered on the first Write, then blocks every Write
// until open is closed.
type gateWriter struct {
	once    sync.Once
	entered chan struct{}
	open    chan struct{}
}

func (g *gateWriter) Write(p []byte) (int, error) {
	g.once.Do(func() { close(g.entered) })
	<-g.open
	return len(p), nil
}

// TestLockBusyFallsBack holds the backup lock elsewhere: the dump must not
// wait on it for more than a few seconds, and reads on one connection.
func TestLockBusyFallsBack(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	ctx := context.Background()
	holder, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	for _, q := range []string{"BACKUP STAGE START", "BACKUP STAGE BLOCK_COMMIT"} {
		if _, err := holder.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	defer holder.ExecContext(ctx, "BACKUP STAGE END")
	start := time.Now()
	var buf bytes.Buffer
	res, err := dumpTo(t, ctx, d.Server.Config(d.Name), d.Name, 2, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 15*time.Second {
		t.Errorf("waited %v for the lock", el)
	}
	if res.Parallel != 1 || res.Consistency != ModeSnapshot || len(res.Notes) == 0 {
		t.Errorf("want a one-connection fallback with a note, got %d, %q, %v", res.Parallel, res.Consistency, res.Notes)
	}
	if res.Tables["t"] != 2 {
		t.Errorf("rows %v", res.Tables)
	}
}
