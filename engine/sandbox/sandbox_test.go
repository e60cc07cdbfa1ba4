package sandbox_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestServerAnswersAndIsolatesDatabases(t *testing.T) {
	a := testdb.New(t)
	b := testdb.New(t)
	if a.Name == b.Name {
		t.Fatalf("two tests got the same database %q", a.Name)
	}
	if !strings.Contains(a.Server.Version, "MariaDB") {
		t.Fatalf("version %q does not look like MariaDB", a.Server.Version)
	}
	a.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	var n int
	if err := a.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("count = %d, %v; want 2", n, err)
	}
	if _, err := b.Exec("SELECT * FROM t"); err == nil {
		t.Fatalf("database %s sees a table created in %s", b.Name, a.Name)
	}
	var logBin string
	if err := a.QueryRow("SELECT @@log_bin").Scan(&logBin); err != nil || logBin != "1" {
		t.Fatalf("log_bin = %q, %v; want 1 on the shared server", logBin, err)
	}
}

func TestStopRemovesEverything(t *testing.T) {
	s := testdb.NewServer(t, sandboxOptions())
	dir := s.Dir
	db, err := s.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PingContext(context.Background()); err != nil {
		t.Fatalf("ping: %v", err)
	}
	db.Close()
	pid := s.Pid()
	if err := s.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("server directory %s still exists after Stop (err=%v)", dir, err)
	}
	if _, err := os.Stat("/proc/" + itoa(pid)); err == nil {
		t.Fatalf("mariadbd pid %d still running after Stop", pid)
	}
}
