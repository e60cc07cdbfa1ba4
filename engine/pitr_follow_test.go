package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestBinlogSyncFollowStreamsAndIsTheOnlyWriter: issue 15 item 2. sync
// --follow writes the open file as events arrive and indexes a file once
// the server rotates it; a second sync is refused while it runs; the
// password is never in argv and the options file is gone afterwards; the
// archive is 0600.
func TestBinlogSyncFollowStreamsAndIsTheOnlyWriter(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	srv := testdb.BinlogServer(t, "ROW", 0)
	d := testdb.NewOn(t, srv)
	const secret = "s3cret-pitr-Pw"
	d.MustExec(t, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
		"CREATE USER pitr@localhost IDENTIFIED BY '"+secret+"'",
		"GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO pitr@localhost")
	e := pitrEngine(t, d)
	e.Cfg.Database.User, e.Cfg.Database.Password = "pitr", secret
	e.mycfg.User, e.mycfg.Passwd = "pitr", secret

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ticks := make(chan BinlogSynced, 100)
	done := make(chan error, 1)
	go func() {
		_, err := e.BinlogSync(ctx, BinlogSyncOptions{Follow: true, Tick: func(s BinlogSynced) { ticks <- s }})
		done <- err
	}()
	first := <-ticks
	if args := binlogArgv(t); !strings.Contains(args, "--read-from-remote-server") || strings.Contains(args, secret) {
		t.Fatalf("mariadb-binlog argv %q: want it running, without the password", args)
	}
	if _, err := e.BinlogSync(context.Background(), BinlogSyncOptions{}); !errors.Is(err, binlog.ErrBusy) {
		t.Fatalf("a second sync while --follow runs: %v, want busy", err)
	}
	d.MustExec(t, "INSERT INTO t (v) VALUES (42)")
	var size int64
	srvSize := func() int64 {
		logs, err := binlog.ServerLogs(context.Background(), e.db)
		if err != nil {
			t.Fatal(err)
		}
		return logs[len(logs)-1].Size
	}
	want := srvSize()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if st, err := os.Stat(filepath.Join(e.binlogDir(), first.Open)); err == nil && st.Size() >= want {
			size = st.Size()
			break
		}
	}
	if size < want {
		t.Fatalf("the open file %s did not reach the server's %d bytes within 5 s", first.Open, want)
	}
	d.MustExec(t, "FLUSH BINARY LOGS")
	var indexed bool
	for deadline := time.Now().Add(5 * time.Second); !indexed && time.Now().Before(deadline); {
		s := <-ticks
		for _, n := range s.Indexed {
			indexed = indexed || n == first.Open
		}
	}
	if !indexed {
		t.Fatalf("%s was not indexed within 5 s of the rotation", first.Open)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("follow after cancel: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "lifeboat-client-*")); len(left) > 0 {
		t.Fatalf("options files left behind: %v", left)
	}
	files, _ := binlog.Files(e.binlogDir())
	for _, f := range files {
		if st, _ := os.Stat(f.Path); st.Mode().Perm() != 0o600 {
			t.Errorf("%s is mode %v, want 0600", f.Name, st.Mode().Perm())
		}
	}
	var ix *binlog.Index
	for _, f := range files {
		if f.Name == first.Open {
			ix = f.Index
		}
	}
	if ix == nil || ix.SHA256 == "" || ix.Size == 0 || ix.LastGTID == "" || ix.FirstEvent.IsZero() || ix.LastEvent.Before(ix.FirstEvent) {
		t.Fatalf("index of %s: %+v", first.Open, ix)
	}
}

// binlogArgv is the command line of the mariadb-binlog this process runs.
func binlogArgv(t *testing.T) string {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		args := strings.ReplaceAll(string(b), "\x00", " ")
		stat, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "stat"))
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if strings.Contains(args, "--stop-never") && len(f) > 1 && f[1] == strconv.Itoa(os.Getpid()) {
			return args
		}
	}
	return ""
}
