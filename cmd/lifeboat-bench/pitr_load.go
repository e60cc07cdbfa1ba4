package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
)

// pitrTransactions is how many single-row transactions the point-in-time
// rows archive after the base backup (issue 15: 100,000).
var pitrTransactions = flag.Int("pitr-transactions", 100_000, "single-row transactions archived after the base backup for the point-in-time rows (0: skip them)")

// pitrTable holds the archived transactions, in the measured database.
const pitrTable = "pitr_events"

// pitrSetup is the base backup and the archive after it.
type pitrSetup struct {
	config  string           // lifeboat config with [binlog] archive = true
	archive string           // <backup.dir>/binlog
	base    string           // the base backup's file name
	until   time.Time        // after every archived transaction
	files   []string         // archive files to replay, in order
	start   uint64           // the base's position in files[0]
	want    map[string]int64 // checksums of the source at until
	bytes   int64            // of the archive files replayed
	txs     int              // transactions the plan replays
}

// preparePITR starts the archive at a fresh binary log, takes the base
// backup with lifeboat, writes n single-row transactions (INSERTs, every
// fifth an UPDATE) over four connections, archives them with binlog sync
// and reads the plan's files and start position from restore --dry-run
// --json. The server's older logs are purged first, so the archive holds
// only what is replayed.
func (b *bench) preparePITR(ctx context.Context, n int) (*pitrSetup, error) {
	p := &pitrSetup{config: filepath.Join(b.work, "lifeboat-pitr.toml")}
	dir := filepath.Join(b.work, "lifeboat-pitr-backups")
	p.archive = filepath.Join(dir, "binlog")
	cfg := map[string]any{
		"database": map[string]any{"socket": b.srv.Socket, "user": "root", "name": b.src},
		"backup":   map[string]any{"dir": dir, "keep": 1000, "compression": "gzip"},
		"binlog":   map[string]any{"archive": true},
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
		return nil, err
	}
	if err := os.WriteFile(p.config, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	table := quoteIdent(b.src) + "." + quoteIdent(pitrTable)
	for _, q := range []string{"DROP TABLE IF EXISTS " + table,
		"CREATE TABLE " + table + " (id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY, worker TINYINT NOT NULL, seq INT NOT NULL, v VARCHAR(64) NOT NULL, at DATETIME(6) NOT NULL)",
		"FLUSH BINARY LOGS"} {
		if _, err := b.db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("point-in-time rows: %s: %w", q, err)
		}
	}
	if err := b.purgeOldLogs(ctx); err != nil {
		return nil, err
	}
	s, reply := b.withConfigReply(p.config, func() (sample, lifeboatReply) { return b.runLifeboat(ctx, "backup", "--json") })
	if s.Err != nil {
		return nil, fmt.Errorf("point-in-time rows: base backup: %w", s.Err)
	}
	p.base = reply.Backup.Filename
	if err := b.pitrWrites(ctx, table, n); err != nil {
		return nil, err
	}
	p.until = time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(p.until) + 20*time.Millisecond)
	if s, _ := b.withConfigReply(p.config, func() (sample, lifeboatReply) { return b.runLifeboat(ctx, "binlog", "sync", "--json") }); s.Err != nil {
		return nil, fmt.Errorf("point-in-time rows: binlog sync: %w", s.Err)
	}
	var err error
	if p.want, err = tableChecksums(ctx, b.db, b.src); err != nil {
		return nil, err
	}
	return p, b.readPlan(ctx, p)
}

// purgeOldLogs removes every binary log before the current one.
func (b *bench) purgeOldLogs(ctx context.Context) error {
	var file string
	var pos int64
	rows, err := b.db.QueryContext(ctx, "SHOW MASTER STATUS")
	if err != nil {
		return err
	}
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	vals[0], vals[1] = &file, &pos
	for i := 2; i < len(cols); i++ {
		vals[i] = new(sql.RawBytes)
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	if file == "" {
		return errors.New("point-in-time rows: the server writes no binary log")
	}
	_, err = b.db.ExecContext(ctx, "PURGE BINARY LOGS TO '"+file+"'")
	return err
}

// pitrWrites commits n single-row transactions on four connections.
func (b *bench) pitrWrites(ctx context.Context, table string, n int) error {
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			conn, err := b.db.Conn(ctx)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close()
			var last int64
			for i := w; i < n && ctx.Err() == nil; i += workers {
				if i%5 == 4 && last > 0 {
					_, err = conn.ExecContext(ctx, "UPDATE "+table+" SET v = CONCAT(v, '+'), at = NOW(6) WHERE id = ?", last)
				} else {
					var r sql.Result
					r, err = conn.ExecContext(ctx, "INSERT INTO "+table+" (worker, seq, v, at) VALUES (?, ?, ?, NOW(6))", w, i, fmt.Sprintf("event %d of worker %d", i, w))
					if err == nil {
						last, err = r.LastInsertId()
					}
				}
				if err != nil {
					errs <- fmt.Errorf("point-in-time rows: transaction %d: %w", i, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

// readPlan asks lifeboat for the plan of the measured restore (--dry-run
// --json) and keeps its files and start position for the stock replay.
func (b *bench) readPlan(ctx context.Context, p *pitrSetup) error {
	cmd := exec.CommandContext(ctx, b.lifeboat, "--config", p.config, "restore", p.base, "--until", p.until.Format(time.RFC3339), "--dry-run", "--json")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("point-in-time rows: restore --dry-run: %v: %s %s", err, out.String(), tailLines(stderr.String(), 3))
	}
	var reply struct {
		Plan struct {
			Files         []string `json:"files"`
			StartPosition uint64   `json:"start_position"`
			Transactions  int      `json:"transactions"`
		} `json:"plan"`
	}
	if err := json.Unmarshal(out.Bytes(), &reply); err != nil {
		return fmt.Errorf("point-in-time rows: restore --dry-run --json: %w", err)
	}
	if len(reply.Plan.Files) == 0 || reply.Plan.Transactions == 0 {
		return fmt.Errorf("point-in-time rows: the plan replays %d transactions from %v", reply.Plan.Transactions, reply.Plan.Files)
	}
	for _, f := range reply.Plan.Files {
		path := filepath.Join(p.archive, f)
		p.files = append(p.files, path)
		p.bytes += fileSize(path)
	}
	p.start, p.txs = reply.Plan.StartPosition, reply.Plan.Transactions
	return nil
}

func (b *bench) withConfigReply(path string, f func() (sample, lifeboatReply)) (sample, lifeboatReply) {
	saved := b.lbConfig
	b.lbConfig = path
	defer func() { b.lbConfig = saved }()
	return f()
}

// runJSON runs lifeboat with config and args, measured, and decodes its
// --json reply into v; it returns the output for messages.
func (b *bench) runJSON(ctx context.Context, config string, v any, args ...string) (sample, string) {
	cmd := exec.CommandContext(ctx, b.lifeboat, append([]string{"--config", config}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	s := runPipeline(ctx, b.srv.Pid(), cmd)
	if err := json.Unmarshal(out.Bytes(), v); err != nil && s.Err == nil {
		s.Err = fmt.Errorf("lifeboat %s: unreadable --json output: %v", args[0], err)
	}
	return s, out.String()
}
