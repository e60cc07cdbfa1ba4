// Package restore owns loading an SQL dump into a server: DDL in file
// order on one connection, INSERTs in parallel over several, with every
// DDL statement a barrier so interleaved dumps stay correct. It rewrites
// database names for a restore into another database, can strip definers,
// and names the failing statement (line, table, server message) on error.
package restore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// Options tune a restore run.
type Options struct {
	Config   *mysql.Config // how to reach the server; DBName is ignored
	Database string        // the target: every database of the dump lands here
	// Final is where the tables end up when Database is a copy to be
	// swapped in (issue 18): table definitions (a DEFAULT NEXTVAL of a
	// sequence) name Final, not the copy. Database when empty.
	Final         string
	Parallel      int  // INSERT connections; 2 when zero
	StripDefiners bool // drop DEFINER=... so objects get the current user
	KeepIndexes   bool // create secondary indexes with the table, not after its data
	// NoLoadData keeps every INSERT an INSERT (else rows go as LOAD DATA
	// LOCAL INFILE where the server allows it and it loads the same).
	NoLoadData bool
	// Others are the server's other databases: the gate refuses names
	// qualified with them (see sqlsplit.GateOptions).
	Others []string
	// Accounts is the whole-server hook of sqlsplit.GateOptions (account
	// statements stay refused here; the engine restores them on its own).
	Accounts bool
	// Pick, when set, restores the selected databases of a dump of several,
	// each into its own target (Database is then the first target); the
	// rest of the file is read and skipped (sqlsplit.Picker).
	Pick *sqlsplit.Pick
	// Finals, with Pick, is Final per target: the databases whose copies
	// a whole-server swap restore loads.
	Finals map[string]string
	// OnComment sees the comment lines between statements (for the
	// completion line); optional.
	OnComment func(line int, text []byte)
	// OnStatement sees every statement before it runs; optional.
	OnStatement func(st *sqlsplit.Statement)
	// OnTableLoaded, when set, is told each table of Database once its
	// rows are committed and the dump has moved on to another table (for
	// a table with deferred indexes: as its index build starts), so that
	// a caller can check it while the rest loads (loaded.go). It must not
	// block. Not with Pick.
	OnTableLoaded func(table string)
}

// Result is what a run did.
type Result struct {
	Statements int64
	Rows       int64
	Tables     int
	Source     string   // the database the dump named (CREATE DATABASE / USE), if any
	Definers   []string // distinct definers of views/routines, as 'user'@'host'
	// LoadDataRows of Rows went as LOAD DATA LOCAL INFILE (loaddata.go).
	LoadDataRows int64
	// Revisited are the tables OnTableLoaded was told of that a later
	// statement wrote to again: an early check of them is stale.
	Revisited []string
	Duration  time.Duration
}

// StatementError is a statement the server refused.
type StatementError struct {
	Line    int
	Table   string
	Excerpt string
	Err     error
}

func (e *StatementError) Error() string {
	where := "line " + humanize.Comma(int64(e.Line))
	if e.Table != "" {
		where += fmt.Sprintf(" (table %q)", e.Table)
	}
	hint := ""
	var me *mysql.MySQLError
	if errors.As(e.Err, &me) && me.Number == 1180 {
		// MariaDB's bulk load into an empty table reports duplicate keys so.
		hint = " (in a bulk load this usually means a duplicate key in this statement's table)"
	}
	return fmt.Sprintf("%s: %v%s [%s]", where, e.Err, hint, e.Excerpt)
}

func (e *StatementError) Unwrap() error { return e.Err }

func stmtError(st *sqlsplit.Statement, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &StatementError{Line: st.Line, Table: st.Table, Excerpt: excerpt(st.SQL), Err: err}
}

// excerpt is the first 80 bytes of a statement on one line.
func excerpt(sql []byte) string {
	s := string(sql[:min(len(sql), 80)])
	s = strings.Join(strings.Fields(s), " ")
	if len(sql) > 80 {
		s += " …"
	}
	return s
}

// Run restores the dump read from r into opts.Database. The database is
// created when missing; it is not emptied first (the caller decides).
func Run(ctx context.Context, opts Options, r io.Reader, tr *progress.Tracker) (Result, error) {
	start := time.Now()
	if opts.Database == "" {
		return Result{}, errors.New("restore: no target database")
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 2 // measured best on 2 cores (0.53× the stock client; 3: 0.57×)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	x, err := newExecutor(ctx, opts, tr, cancel)
	if err != nil {
		return Result{}, err
	}
	defer x.close()
	err = x.run(r)
	res := x.result()
	res.Duration = time.Since(start)
	return res, err
}

// openPool opens connections without a default database: the target may
// not exist yet.
func openPool(cfg *mysql.Config, n int) (*sql.DB, error) {
	c := cfg.Clone()
	c.DBName = ""
	c.MultiStatements = false
	c.AllowAllFiles = false // LOAD DATA LOCAL reads only the loader's own readers
	c.MaxAllowedPacket = 0  // ask the server: dumps are cut to its limit
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return nil, fmt.Errorf("restore: database config: %w", err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return db, nil
}
