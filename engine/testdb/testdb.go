// Package testdb is the one way tests reach a real MariaDB: one throwaway
// server per test package, started on first use, and a fresh database per
// test. A server that cannot start fails the test; it never skips it.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { testdb.Main(m) }
//
// It is imported only by _test.go files, so it never reaches the binary.
package testdb

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

var (
	once    sync.Once
	shared  *sandbox.Server
	hardErr error
	counter atomic.Int64

	extraMu sync.Mutex
	extras  []*sandbox.Server
)

// Main runs the package's tests and stops every server they started.
func Main(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// StopAll stops the shared server and any extra ones.
func StopAll() {
	if shared != nil {
		shared.Stop()
	}
	extraMu.Lock()
	for _, s := range extras {
		s.Stop()
	}
	extras = nil
	extraMu.Unlock()
}

// Server returns the package's shared server, starting it on first use
// (with the binary log on, so binlog positions can be tested).
func Server(t testing.TB) *sandbox.Server {
	t.Helper()
	once.Do(func() {
		shared, hardErr = sandbox.Start(context.Background(), sandbox.Options{LogBin: true})
	})
	if hardErr != nil {
		t.Fatalf("testdb: cannot start the throwaway MariaDB (tests need it; they do not skip): %v", hardErr)
	}
	return shared
}

// NewServer starts an extra throwaway server for this test, stopped at the
// end of the package (for restores onto a fresh server).
func NewServer(t testing.TB, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	s, err := sandbox.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("testdb: cannot start a second throwaway MariaDB: %v", err)
	}
	extraMu.Lock()
	extras = append(extras, s)
	extraMu.Unlock()
	t.Cleanup(func() { s.Stop() })
	return s
}

// BinlogServer starts an extra server with the binary log on in format
// (ROW, MIXED or STATEMENT), rotating its files at maxSize bytes (the
// server's own default when 0; 4096 is its minimum), for point-in-time
// recovery tests.
func BinlogServer(t testing.TB, format string, maxSize int) *sandbox.Server {
	t.Helper()
	extra := []string{"--binlog-format=" + format}
	if maxSize > 0 {
		extra = append(extra, fmt.Sprintf("--max-binlog-size=%d", maxSize))
	}
	return NewServer(t, sandbox.Options{LogBin: true, Extra: extra})
}

// DB is a fresh, empty database on the shared server.
type DB struct {
	*sql.DB
	Name   string
	Server *sandbox.Server
}

var nonWord = regexp.MustCompile(`[^a-z0-9_]+`)

// New creates an empty database named after the test and returns a pool
// connected to it. The database is dropped when the test ends.
func New(t testing.TB) *DB {
	t.Helper()
	return NewOn(t, Server(t))
}

// NewOn is New on a server of the test's own (NewServer, BinlogServer).
func NewOn(t testing.TB, s *sandbox.Server) *DB {
	t.Helper()
	name := strings.Trim(nonWord.ReplaceAllString(strings.ToLower(t.Name()), "_"), "_")
	if len(name) > 40 {
		name = name[:40]
	}
	name = fmt.Sprintf("t%d_%s", counter.Add(1), name)
	root, err := s.Open("")
	if err != nil {
		t.Fatalf("testdb: open: %v", err)
	}
	defer root.Close()
	if _, err := root.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	db, err := s.Open(name)
	if err != nil {
		t.Fatalf("testdb: open %s: %v", name, err)
	}
	t.Cleanup(func() {
		db.Close()
		if r, err := s.Open(""); err == nil {
			r.Exec("DROP DATABASE IF EXISTS `" + name + "`")
			r.Close()
		}
	})
	return &DB{DB: db, Name: name, Server: s}
}

// MustExec runs statements in order and fails the test on the first error.
func (d *DB) MustExec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := d.DB.Exec(q); err != nil {
			t.Fatalf("testdb: %s: %v", firstLine(q), err)
		}
	}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

// LoadSQL feeds r to the stock mariadb client, connected as root to db on
// srv (db may be empty when the SQL names its own database). Tests use it
// to prove that a file restores with the stock client alone.
func LoadSQL(t testing.TB, srv *sandbox.Server, db string, r io.Reader) {
	t.Helper()
	bin, err := sandbox.FindBinary("mariadb")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--no-defaults", "--socket=" + srv.Socket, "-uroot"}
	if db != "" {
		args = append(args, db)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = r
	var stderr bytes.Buffer
	cmd.Stderr, cmd.Stdout = &stderr, io.Discard
	if err := cmd.Run(); err != nil {
		t.Fatalf("mariadb client: %v: %s", err, stderr.String())
	}
}
