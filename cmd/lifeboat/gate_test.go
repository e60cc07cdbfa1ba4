package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// tableGate holds LOCK TABLES ... WRITE on one table from the test's own
// connection, so a lifeboat dump that reaches the table waits on the
// server, its .partial file open, until the test lets it go. The test
// then acts at a known point of the run instead of racing a short-lived
// file (issue 21 item 14). The dump's first connection keeps the
// lock_wait_timeout of 5 s it set for the backup lock, so the test must
// act (signal, SIGSTOP) promptly once waitBlocked returns, not linger.
type tableGate struct {
	conn  *sql.Conn
	db    string
	table string
}

func holdTable(t *testing.T, f *fixture, table string) *tableGate {
	t.Helper()
	conn, err := f.db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "LOCK TABLES `"+table+"` WRITE"); err != nil {
		conn.Close()
		t.Fatal(err)
	}
	g := &tableGate{conn: conn, db: f.db.Name, table: table}
	t.Cleanup(g.release)
	return g
}

// waitBlocked waits until a session of p reads the held table and waits
// for its metadata lock, read from information_schema.PROCESSLIST.
func (g *tableGate) waitBlocked(t *testing.T, p *proc, f *fixture) {
	t.Helper()
	waitFor(t, p, "the dump to wait on the lock of "+g.table, func() bool {
		var n int
		err := f.db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND STATE = 'Waiting for table metadata lock' AND INFO LIKE ?",
			g.db, "%`"+g.table+"`%").Scan(&n)
		return err == nil && n > 0
	})
}

// release lets the waiting dump go on; it is safe to call twice.
func (g *tableGate) release() {
	if g.conn == nil {
		return
	}
	g.conn.ExecContext(context.Background(), "UNLOCK TABLES")
	g.conn.Close()
	g.conn = nil
}

// ignoresSignal reads /proc/PID/status: whether the process has set sig
// to be ignored (SigIgn), so the kernel drops it on delivery.
func ignoresSignal(t *testing.T, pid, sig int) bool {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if hex, ok := strings.CutPrefix(line, "SigIgn:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
			if err != nil {
				t.Fatalf("SigIgn %q: %v", hex, err)
			}
			return mask&(1<<(sig-1)) != 0
		}
	}
	t.Fatalf("no SigIgn in /proc/%d/status", pid)
	return false
}
