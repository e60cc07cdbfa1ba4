// Package sandbox starts a private, throwaway MariaDB server in a temporary
// directory on its own socket. The tests, `lifeboat demo` and
// `lifeboat verify --restore` all use it; nothing it starts outlives Stop.
package sandbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Options tune the throwaway server. The zero value is a good default.
type Options struct {
	// Port, when non-zero, also listens on 127.0.0.1:Port; otherwise the
	// server is reachable only through its socket.
	Port int
	// LogBin turns on the binary log, so that binlog positions and GTIDs
	// can be recorded and tested.
	LogBin bool
	// BufferPool is the InnoDB buffer pool size; "256M" when empty.
	BufferPool string
	// StartTimeout bounds install plus start-up; 90 s when zero.
	StartTimeout time.Duration
	// Extra server options, each "--name=value".
	Extra []string
}

// Server is a running throwaway MariaDB. Connect as root through Socket
// with no password.
type Server struct {
	Dir     string // everything the server owns lives here (DirPrefix*)
	Socket  string
	Port    int
	Version string

	cmd      *exec.Cmd
	exited   chan struct{}
	exitErr  error
	stopOnce sync.Once
	relaunch func() *exec.Cmd // the same mariadbd command again (restart.go)
}

// ErrNotInstalled is returned when the MariaDB server binaries are missing.
var ErrNotInstalled = errors.New("mariadbd is not installed: run `sudo apt-get install -y mariadb-server` (or `make deps`)")

// FindBinary looks a MariaDB program up in PATH and the usual sbin folders,
// which a non-root PATH often lacks.
func FindBinary(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/usr/libexec", "/usr/local/mysql/bin", "/usr/local/bin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, ErrNotInstalled)
}

// Start installs a fresh data directory and starts mariadbd on it. It
// returns once the server answers queries. On any failure everything it
// created is removed and the error carries the tail of the server's log.
// A failed start is tried once more: on a loaded machine install-db or the
// first start-up occasionally fail for reasons that do not repeat.
func Start(ctx context.Context, opts Options) (*Server, error) {
	s, err := start(ctx, opts)
	if err != nil && !errors.Is(err, ErrNotInstalled) && ctx.Err() == nil {
		s, err = start(ctx, opts)
	}
	return s, err
}

func start(ctx context.Context, opts Options) (*Server, error) {
	mariadbd, err := FindBinary("mariadbd")
	if err != nil {
		return nil, err
	}
	installDB, err := FindBinary("mariadb-install-db")
	if err != nil {
		return nil, err
	}
	timeout := opts.StartTimeout
	if timeout == 0 {
		timeout = 90 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	base, err := baseDir(acct)
	if err != nil {
		return nil, err
	}
	// Short base: a unix socket path must stay under 108 bytes.
	dir, err := os.MkdirTemp(base, DirPrefix)
	if err != nil {
		return nil, fmt.Errorf("sandbox: temp dir: %w", err)
	}
	s := &Server{Dir: dir, Port: opts.Port, exited: make(chan struct{})}
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()
	if err := writeOwner(dir); err != nil {
		return nil, err
	}
	srv, err := layout(dir, acct)
	if err != nil {
		return nil, err
	}
	s.Socket = filepath.Join(srv, "mysqld.sock")
	env := append(os.Environ(), "TMPDIR="+filepath.Join(srv, "tmp"))

	install := exec.CommandContext(ctx, installDB,
		"--no-defaults",
		"--datadir="+filepath.Join(srv, "data"),
		"--auth-root-authentication-method=normal",
		"--skip-test-db",
		"--skip-name-resolve",
	)
	install.Dir, install.Env, install.SysProcAttr = srv, env, acct.sysProcAttr()
	if out, err := install.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("sandbox: mariadb-install-db: %v\n%s", err, tail(string(out), 20))
	}

	args := []string{
		"--no-defaults",
		"--datadir=" + filepath.Join(srv, "data"),
		"--socket=" + s.Socket,
		"--pid-file=" + filepath.Join(srv, "mysqld.pid"),
		"--log-error=" + filepath.Join(srv, "error.log"),
		"--tmpdir=" + filepath.Join(srv, "tmp"),
		"--innodb-buffer-pool-size=" + orDefault(opts.BufferPool, "256M"),
		"--innodb-log-file-size=256M",
		"--innodb-flush-log-at-trx-commit=2",
		"--innodb-doublewrite=0",
		"--max-allowed-packet=64M",
		"--character-set-server=utf8mb4",
		"--collation-server=utf8mb4_general_ci",
		"--skip-name-resolve",
		"--event-scheduler=OFF",
	}
	args = append(args, lockdownArgs(srv)...)
	if opts.Port > 0 {
		args = append(args, "--bind-address=127.0.0.1", fmt.Sprintf("--port=%d", opts.Port))
	} else {
		args = append(args, "--skip-networking")
	}
	if opts.LogBin {
		args = append(args, "--log-bin="+filepath.Join(srv, "binlog"), "--server-id=1", "--binlog-format=ROW")
	}
	args = append(args, opts.Extra...)

	// Not CommandContext: the server must outlive the start-up ctx.
	s.relaunch = func() *exec.Cmd {
		c := exec.Command(mariadbd, args...)
		c.Dir, c.Env, c.SysProcAttr = srv, env, acct.sysProcAttr()
		return c
	}
	s.cmd = s.relaunch()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("sandbox: start mariadbd: %w", err)
	}
	go func() {
		s.exitErr = s.cmd.Wait()
		close(s.exited)
	}()

	if err := s.waitReady(ctx); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	db, err := s.open("")
	if err != nil {
		return err
	}
	defer db.Close()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := db.QueryRowContext(pctx, "SELECT VERSION()").Scan(&s.Version)
		cancel()
		if err == nil {
			return nil
		}
		var merr *mysql.MySQLError
		if errors.As(err, &merr) { // the server answered: waiting will not help
			return fmt.Errorf("sandbox: mariadbd refused the first query: %w", err)
		}
		select {
		case <-s.exited:
			return fmt.Errorf("sandbox: mariadbd exited during start-up (%v):\n%s", s.exitErr, s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("sandbox: mariadbd not ready: %v (last error: %v):\n%s", ctx.Err(), err, s.logTail())
		case <-tick.C:
		}
	}
}

// Config returns a driver config for database db (empty for none) as root
// over the socket.
func (s *Server) Config(db string) *mysql.Config {
	c := mysql.NewConfig()
	c.User = "root"
	c.Net = "unix"
	c.Addr = s.Socket
	c.DBName = db
	c.ParseTime = false
	c.MultiStatements = false
	c.InterpolateParams = true
	c.Collation = "utf8mb4_general_ci"
	return c
}

// DSN is Config(db).FormatDSN().
func (s *Server) DSN(db string) string { return s.Config(db).FormatDSN() }

func (s *Server) open(db string) (*sql.DB, error) {
	conn, err := mysql.NewConnector(s.Config(db))
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// Open returns a pool connected as root to database db (empty for none).
func (s *Server) Open(db string) (*sql.DB, error) { return s.open(db) }

// Stop shuts the server down and removes its directory. It is safe to call
// more than once and from a signal handler's goroutine.
func (s *Server) Stop() error {
	var err error
	s.stopOnce.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil {
			_ = s.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-s.exited:
			case <-time.After(30 * time.Second):
				_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
				<-s.exited
			}
		}
		err = os.RemoveAll(s.Dir)
	})
	return err
}

// Crash kills the server at once (SIGKILL), leaving the data directory, so
// fault tests can simulate a lost server. Stop still cleans up afterwards.
func (s *Server) Crash() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
	}
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(filepath.Join(s.Dir, "srv", "error.log"))
	return tail(string(b), 20)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Pid is the server's process id (0 before start).
func (s *Server) Pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
