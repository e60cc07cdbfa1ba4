package binlog

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/gofrs/flock"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// SyncOptions say where the archive is and how to reach the server.
type SyncOptions struct {
	Dir    string  // the archive folder, <backup.dir>/binlog
	DB     *sql.DB // for SHOW BINARY LOGS
	Conn   Conn    // for mariadb-binlog --read-from-remote-server
	Follow bool    // keep streaming until ctx is cancelled
	// Tick, when set, is called after each pass of --follow (tests, the screen).
	Tick func(SyncResult)
}

// SyncResult is what one sync did.
type SyncResult struct {
	Indexed []string // files finished and indexed by this sync
	Open    string   // the server's current file, copied as far as it goes
	// Purged are files the server no longer has and the archive never got:
	// a gap in the recoverable window.
	Purged []string
	Server []ServerLog
}

// ServerLog is a line of SHOW BINARY LOGS.
type ServerLog struct {
	Name string
	Size int64
}

// ErrBusy says another sync writes the archive.
var ErrBusy = errors.New("another lifeboat binlog sync is writing this archive")

const lockName = ".sync.lock"

// Sync copies the server's binary logs into the archive over the
// replication protocol, then indexes every file the server has finished.
// One writer per archive: a second sync fails with ErrBusy.
func Sync(ctx context.Context, opts SyncOptions) (SyncResult, error) {
	var res SyncResult
	if err := os.MkdirAll(opts.Dir, 0o700); err != nil {
		return res, fmt.Errorf("binlog archive %s: %w", opts.Dir, err)
	}
	fl := flock.New(filepath.Join(opts.Dir, lockName), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return res, fmt.Errorf("binlog archive %s: lock: %w", opts.Dir, err)
	}
	if !ok {
		return res, fmt.Errorf("%w (%s); wait for it, or stop the lifeboat-binlog service", ErrBusy, opts.Dir)
	}
	defer fl.Unlock()

	logs, err := ServerLogs(ctx, opts.DB)
	if err != nil {
		return res, err
	}
	res.Server = logs
	start, purged, err := startFile(opts.Dir, logs)
	if err != nil {
		return res, err
	}
	res.Purged = purged
	res.Open = logs[len(logs)-1].Name
	cmd, stderr, remove, err := fetchCommand(ctx, opts, start)
	if err != nil {
		return res, err
	}
	defer remove()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("binlog sync: %w", err)
	}
	if !opts.Follow {
		werr := cmd.Wait()
		if werr != nil && ctx.Err() == nil {
			return res, fetchError(werr, stderr)
		}
		return res, finalize(ctx, opts, &res)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			cmd.Process.Kill()
			<-exited
			err := finalize(context.Background(), opts, &res)
			return res, err
		case werr := <-exited:
			finalize(context.Background(), opts, &res)
			if werr == nil {
				werr = errors.New("stopped")
			}
			return res, fetchError(werr, stderr)
		case <-tick.C:
			if err := finalize(ctx, opts, &res); err != nil && ctx.Err() == nil {
				cmd.Process.Kill()
				<-exited
				return res, err
			}
			if opts.Tick != nil {
				opts.Tick(res)
			}
		}
	}
}

// ServerLogs is SHOW BINARY LOGS. An account without BINLOG MONITOR
// (or REPLICATION CLIENT, or SUPER) is told so.
func ServerLogs(ctx context.Context, db *sql.DB) ([]ServerLog, error) {
	rows, err := db.QueryContext(ctx, "SHOW BINARY LOGS")
	if err != nil {
		var me *mysql.MySQLError
		if errors.As(err, &me) && (me.Number == 1227 || me.Number == 1045) {
			return nil, fmt.Errorf("SHOW BINARY LOGS: the account lacks the privilege: GRANT BINLOG MONITOR, REPLICATION SLAVE ON *.* TO it (REPLICATION CLIENT, REPLICATION SLAVE on MySQL): %w", err)
		}
		if errors.As(err, &me) && me.Number == 1381 {
			return nil, errors.New("the server does not write a binary log: start it with log_bin (and server_id, binlog_format = ROW)")
		}
		return nil, fmt.Errorf("SHOW BINARY LOGS: %w", err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []ServerLog
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		l := ServerLog{Name: vals[0].String}
		if len(vals) > 1 {
			fmt.Sscan(vals[1].String, &l.Size)
		}
		if !ValidName(l.Name) {
			return nil, fmt.Errorf("SHOW BINARY LOGS: %q is not a binary log file name; lifeboat refuses names that are paths", l.Name)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("SHOW BINARY LOGS: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("the server lists no binary log: start it with log_bin")
	}
	return out, nil
}

// startFile is the first server file the archive does not hold whole, and
// the files the server purged before the archive got them.
func startFile(dir string, logs []ServerLog) (string, []string, error) {
	files, err := Files(dir)
	if err != nil {
		return "", nil, err
	}
	have := map[string]File{}
	var last int64 = -1
	for _, f := range files {
		have[f.Name] = f
		if f.Index != nil && Number(f.Name) > last {
			last = Number(f.Name)
		}
	}
	var purged []string
	if first := Number(logs[0].Name); last >= 0 && first > last+1 {
		base := strings.TrimSuffix(logs[0].Name, logs[0].Name[strings.LastIndexByte(logs[0].Name, '.'):])
		width := len(logs[0].Name) - len(base) - 1
		for n := last + 1; n < first; n++ {
			purged = append(purged, fmt.Sprintf("%s.%0*d", base, width, n))
		}
	}
	for i, l := range logs {
		f, ok := have[l.Name]
		if i == len(logs)-1 || !ok || f.Index == nil || f.Size != l.Size || f.Damaged(false) != "" {
			return l.Name, purged, nil
		}
	}
	return logs[len(logs)-1].Name, purged, nil
}

func fetchCommand(ctx context.Context, opts SyncOptions, start string) (*exec.Cmd, *bytes.Buffer, func(), error) {
	tool, err := Tool()
	if err != nil {
		return nil, nil, func() {}, err
	}
	defaults, remove, err := defaultsFile(opts.Conn)
	if err != nil {
		return nil, nil, func() {}, err
	}
	args := []string{"--defaults-file=" + defaults, "--read-from-remote-server", "--raw",
		"--result-file=" + opts.Dir + string(filepath.Separator)}
	if opts.Follow {
		args = append(args, "--stop-never")
	} else {
		args = append(args, "--to-last-log")
	}
	cmd := exec.CommandContext(ctx, tool, append(args, start)...)
	cmd.Env = utcEnv()
	var stderr bytes.Buffer
	cmd.Stderr, cmd.Stdout = &stderr, &stderr
	return cmd, &stderr, remove, nil
}

func fetchError(err error, stderr *bytes.Buffer) error {
	msg := strings.TrimSpace(stderr.String())
	if strings.Contains(msg, "Access denied") || strings.Contains(msg, "REPLICATION SLAVE") {
		msg += "; the account needs REPLICATION SLAVE: GRANT REPLICATION SLAVE ON *.* TO it"
	}
	return fmt.Errorf("binlog sync: mariadb-binlog %v: %s", err, msg)
}

// finalize makes every copied file 0600, syncs them to disk, and indexes
// the files the server has finished (not its last one) once they are as
// long as the server says.
func finalize(ctx context.Context, opts SyncOptions, res *SyncResult) error {
	logs, err := ServerLogs(ctx, opts.DB)
	if err != nil {
		return err
	}
	res.Server, res.Open = logs, logs[len(logs)-1].Name
	size := map[string]int64{}
	for _, l := range logs[:len(logs)-1] {
		size[l.Name] = l.Size
	}
	files, err := Files(opts.Dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		os.Chmod(f.Path, 0o600)
		if f.Index != nil {
			continue
		}
		if fh, err := os.Open(f.Path); err == nil {
			fh.Sync()
			fh.Close()
		}
		if want, finished := size[f.Name]; !finished || f.Size != want {
			continue
		}
		if _, err := writeIndex(ctx, opts.Dir, f.Name); err != nil {
			return fmt.Errorf("binlog archive: index %s: %w", f.Name, err)
		}
		res.Indexed = append(res.Indexed, f.Name)
	}
	return safefile.SyncDir(opts.Dir)
}
