package restore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// executor runs statements: DDL and session statements on the main
// connection, INSERTs on workers. Everything a worker's session needs
// (SET, USE) is logged and replayed on each worker before its next insert.
type executor struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	opts   Options
	tr     *progress.Tracker
	db     *sql.DB
	main   *sql.Conn

	session  []string // SET/USE statements, in order, for the workers
	jobs     chan job
	ctl      []chan *sync.WaitGroup // one per worker: commit now
	inflight sync.WaitGroup
	workers  sync.WaitGroup
	errMu    sync.Mutex
	firstErr error

	gate       *sqlsplit.Gate // the allow-list, again, per statement as it runs
	deferred   []deferredIndex
	ix         *indexBuilder
	created    bool // the target database exists and is selected
	source     string
	definers   map[string]bool
	statements int64
	rows       int64
	tables     int
	rowsMu     sync.Mutex
	load       loader       // LOAD DATA for the INSERTs' rows (loaddata.go)
	loaded     loadedTables // what OnTableLoaded was told (loaded.go)
}

type job struct {
	sql     string // a copy: the splitter reuses its buffer
	line    int
	table   string
	rows    int
	session []string // the session log when the job was queued
	// noBackslash: NO_BACKSLASH_ESCAPES is in force (how its strings read)
	noBackslash bool
}

func newExecutor(ctx context.Context, opts Options, tr *progress.Tracker, cancel context.CancelCauseFunc) (*executor, error) {
	db, err := openPool(opts.Config, opts.Parallel+2)
	if err != nil {
		return nil, err
	}
	main, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("restore: connect to %s: %w", opts.Config.Addr, err)
	}
	x := &executor{ctx: ctx, cancel: cancel, opts: opts, tr: tr, db: db, main: main,
		jobs: make(chan job, opts.Parallel*2), definers: map[string]bool{},
		gate: sqlsplit.NewGate(sqlsplit.GateOptions{Target: opts.Database, Others: opts.Others, Accounts: opts.Accounts})}
	if err := setupSession(ctx, main, false); err != nil {
		x.close()
		return nil, err
	}
	ixConn, err := db.Conn(ctx)
	if err != nil {
		x.close()
		return nil, fmt.Errorf("restore: connect to %s: %w", opts.Config.Addr, err)
	}
	if err := setupSession(ctx, ixConn, false); err != nil {
		ixConn.Close()
		x.close()
		return nil, err
	}
	x.ix = newIndexBuilder(x, ixConn)
	x.startLoader()
	for i := 0; i < opts.Parallel; i++ {
		conn, err := db.Conn(ctx)
		if err != nil {
			x.close()
			return nil, fmt.Errorf("restore: connect to %s: %w", opts.Config.Addr, err)
		}
		if err := setupSession(ctx, conn, true); err != nil {
			conn.Close()
			x.close()
			return nil, err
		}
		c := make(chan *sync.WaitGroup)
		x.ctl = append(x.ctl, c)
		x.workers.Add(1)
		go x.worker(conn, c)
	}
	return x, nil
}

// workerChecks is the workers' unique_checks. Left on, because with it
// off (and foreign_key_checks off) the first transaction on an empty table
// takes InnoDB's bulk-insert path, which locks the whole table until it
// commits: the other workers would wait (measured: the 1M-row table loaded
// on one core for its first 16 MB; the whole restore 10% slower). Secondary
// indexes are built after the data anyway.
const workerChecks = "SET SESSION unique_checks=1"

// setupSession turns off what a load does not need. sql_log_bin needs a
// privilege the account may lack; then the load is logged as usual.
func setupSession(ctx context.Context, c *sql.Conn, batch bool) error {
	if _, err := c.ExecContext(ctx, "SET SESSION unique_checks=0, foreign_key_checks=0, sql_notes=0"); err != nil {
		return fmt.Errorf("restore: session settings: %w", err)
	}
	if batch {
		if _, err := c.ExecContext(ctx, workerChecks); err != nil {
			return fmt.Errorf("restore: session settings: %w", err)
		}
	}
	_, _ = c.ExecContext(ctx, "SET SESSION sql_log_bin=0")
	if batch {
		if _, err := c.ExecContext(ctx, "SET SESSION autocommit=0"); err != nil {
			return fmt.Errorf("restore: session settings: %w", err)
		}
	}
	return nil
}

func (x *executor) close() {
	if x.ix != nil {
		x.ix.close()
	}
	for _, c := range x.ctl {
		close(c)
	}
	x.workers.Wait()
	x.ctl = nil
	if x.main != nil {
		x.main.Close()
	}
	x.db.Close()
}

// fail records the first error and stops everything.
func (x *executor) fail(err error) {
	x.errMu.Lock()
	defer x.errMu.Unlock()
	if x.firstErr == nil {
		x.firstErr = err
		x.cancel(err)
	}
}

func (x *executor) err() error {
	x.errMu.Lock()
	defer x.errMu.Unlock()
	return x.firstErr
}

func (x *executor) run(r io.Reader) error {
	sp := sqlsplit.New(r)
	sp.OnComment = x.opts.OnComment
	next := sp.Next
	if x.opts.Pick != nil {
		p := sqlsplit.NewPicker(sp, *x.opts.Pick)
		p.Enter = x.enter
		next = p.Next
	}
	if err := x.checkMode(nil, false); err != nil {
		return err
	}
	for {
		if err := x.err(); err != nil {
			x.inflight.Wait()
			return err
		}
		if err := x.ctx.Err(); err != nil {
			x.inflight.Wait()
			return context.Cause(x.ctx)
		}
		st, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			x.barrier()
			return fmt.Errorf("read dump: %w", err)
		}
		x.statements++
		x.tr.AddStatements(1)
		if x.opts.OnStatement != nil {
			x.opts.OnStatement(st)
		}
		x.noteWrite(st)
		if err := x.statement(st); err != nil {
			x.fail(err)
		}
	}
	x.barrier()
	if x.err() == nil {
		if err := x.flushIndexes(nil); err != nil {
			x.fail(err)
		}
	}
	return x.err()
}

func (x *executor) result() Result {
	res := Result{Statements: x.statements, Rows: x.rows, Tables: x.tables, Source: x.source, LoadDataRows: x.load.rows.Load(), Revisited: x.revisited()}
	for d := range x.definers {
		res.Definers = append(res.Definers, d)
	}
	return res
}
