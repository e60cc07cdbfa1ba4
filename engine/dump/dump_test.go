package dump

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTortureRoundTrip dumps the torture schema, restores it with the stock
// client onto a second server, and compares everything.
func TestTortureRoundTrip(t *testing.T) {
	src := loadTorture(t)
	want := fingerprint(t, src.DB, src.Name)
	var wantNext int64
	if err := src.QueryRow("SELECT next_not_cached_value FROM `seq_orders`").Scan(&wantNext); err != nil {
		t.Fatal(err)
	}
	if len(want) < 40 {
		t.Fatalf("torture schema looks incomplete: %d objects", len(want))
	}
	for _, parallel := range []int{1, 3} {
		var buf bytes.Buffer
		res, err := dumpTo(t, context.Background(), src.Server.Config(src.Name), src.Name, parallel, &buf)
		if err != nil {
			t.Fatalf("parallel %d: %v", parallel, err)
		}
		checkShape(t, buf.String())
		if res.Tables["ints"] != 4 || res.Tables["big_row"] != 3 || res.Tables["no pk"] != 4 {
			t.Errorf("row counts in result: %v", res.Tables)
		}
		if !strings.Contains(strings.Join(res.NonTransactional, ","), "legacy_myisam") {
			t.Errorf("MyISAM table not reported: %v", res.NonTransactional)
		}
		if res.Binlog == nil || res.Binlog.File == "" || res.Binlog.Position == 0 {
			t.Errorf("binlog position not recorded: %+v", res.Binlog)
		}
		dst := testdb.NewServer(t, sandbox.Options{})
		testdb.LoadSQL(t, dst, "", bytes.NewReader(buf.Bytes()))
		ddb, err := dst.Open(src.Name)
		if err != nil {
			t.Fatal(err)
		}
		compareFingerprints(t, want, fingerprint(t, ddb, src.Name))
		checkFloatBits(t, src.Server, dst, src.Name)
		var next int64
		if err := ddb.QueryRow("SELECT NEXTVAL(`seq_orders`)").Scan(&next); err != nil || next != wantNext {
			t.Errorf("restored sequence next value = %d, %v; want %d", next, err, wantNext)
		}
		ddb.Close()
	}
}

func checkShape(t *testing.T, s string) {
	t.Helper()
	if !strings.HasPrefix(s, catalog.HeaderPrefix) {
		t.Errorf("dump does not start with the header: %.80q", s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, catalog.CompletionPrefix) || !strings.HasSuffix(s, "\n") {
		t.Errorf("last line is not the completion line: %q", last)
	}
	trig, data := strings.Index(s, "TRIGGER `order_ai`"), strings.Index(s, "INSERT INTO `order`")
	if trig < 0 || data < 0 || trig < data {
		t.Errorf("trigger must come after the data (trigger at %d, data at %d)", trig, data)
	}
	if strings.Contains(s, "`b`,`c`") || strings.Contains(s, "NEXTVAL(") {
		t.Errorf("generated columns or NEXTVAL leaked into the dump")
	}
	if !strings.Contains(s, "INSERT INTO `gen_invis` (`id`,`a`,`secret`) VALUES") {
		t.Errorf("invisible column missing from the insert column list")
	}
}

// checkFloatBits reads FLOAT and DOUBLE over the binary protocol (exact
// IEEE bits) on both servers and compares them.
func checkFloatBits(t *testing.T, src, dst *sandbox.Server, db string) {
	t.Helper()
	read := func(s *sandbox.Server) (map[int]uint32, map[int]uint64) {
		c := s.Config(db)
		c.InterpolateParams = false
		conn, err := mysql.NewConnector(c)
		if err != nil {
			t.Fatal(err)
		}
		pool := sql.OpenDB(conn)
		defer pool.Close()
		rows, err := pool.Query("SELECT id, f, d8 FROM nums WHERE id > ? AND f IS NOT NULL", -1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		fs, ds := map[int]uint32{}, map[int]uint64{}
		for rows.Next() {
			var id int
			var f float32
			var d float64
			if err := rows.Scan(&id, &f, &d); err != nil {
				t.Fatal(err)
			}
			fs[id], ds[id] = math.Float32bits(f), math.Float64bits(d)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return fs, ds
	}
	wf, wd := read(src)
	gf, gd := read(dst)
	if len(wf) < 6 {
		t.Fatalf("only %d float rows", len(wf))
	}
	for id := range wf {
		if wf[id] != gf[id] || wd[id] != gd[id] {
			t.Errorf("nums id %d: float bits %08x→%08x, double bits %016x→%016x", id, wf[id], gf[id], wd[id], gd[id])
		}
	}
}

// TestCancelStopsQuickly cancels a dump of a big table and expects
// ctx.Err() back.
func TestCancelStopsQuickly(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(200))",
		"INSERT INTO big SELECT seq, REPEAT('x', 150) FROM seq_1_to_300000")
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfter{n: 2 << 20, cancel: cancel}
	_, err := dumpTo(t, ctx, d.Server.Config(d.Name), d.Name, 2, w)
	if err != context.Canceled {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if w.written > 8<<20 {
		t.Errorf("kept writing %d bytes after cancel", w.written)
	}
}

type cancelAfter struct {
	n, written int
	cancel     func()
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.written += len(p)
	if c.written > c.n {
		c.cancel()
	}
	return len(p), nil
}

// TestSplitterReadsOurDump feeds the torture dump to the restore engine's
// statement splitter: every statement parses, and the INSERT row counts
// add up to what the dump says it wrote.
func TestSplitterReadsOurDump(t *testing.T) {
	src := loadTorture(t)
	var buf bytes.Buffer
	res, err := dumpTo(t, context.Background(), src.Server.Config(src.Name), src.Name, 2, &buf)
	if err != nil {
		t.Fatal(err)
	}
	sp := sqlsplit.New(bytes.NewReader(buf.Bytes()))
	rows := map[string]int64{}
	creates := 0
	for {
		st, err := sp.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("splitter: %v", err)
		}
		switch st.Kind {
		case sqlsplit.Insert:
			rows[st.Table] += int64(st.Rows)
		case sqlsplit.CreateRoutine, sqlsplit.CreateView:
			creates++
		}
	}
	for name, n := range res.Tables {
		if rows[name] != n {
			t.Errorf("table %q: splitter counted %d rows, dump wrote %d", name, rows[name], n)
		}
	}
	if creates < 8 { // 3 routines + trigger + event + 4 views (+ placeholders)
		t.Errorf("only %d routine/view statements recognised", creates)
	}
}
