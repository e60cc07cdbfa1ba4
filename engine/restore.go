package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
)

// restoreLockWait is how long a restore waits for a backup or prune.
var restoreLockWait = 5 * time.Second

// PlanRestore says what Restore would do, without touching anything. The
// command line and the screen show it and ask for confirmation. For
// lifeboat's own backups the manifest names the file's database, so the
// plan does not read the file (Restore reads it once, before any change);
// a foreign file is read here, so the plan can say what it holds.
func (e *Engine) PlanRestore(ctx context.Context, name string, opts RestoreOptions) (RestorePlan, error) {
	if err := e.fetchIfRemoteOnly(ctx, ActionRestore, name, nil); err != nil { // only on a remote: pull it, checked
		return RestorePlan{Filename: name}, err
	}
	path, err := catalog.Resolve(e.dir(), name)
	if err != nil {
		return RestorePlan{}, fmt.Errorf("restore %s: %w", name, err)
	}
	target := e.restoreTarget(opts)
	plan := RestorePlan{Filename: name, Database: target}
	if catalog.Encrypted(name) {
		plan.Encrypted = true
		plan.Identity, plan.IdentityOK = e.identityNote(name, path)
		if !plan.IdentityOK {
			return plan, fmt.Errorf("restore %s: %s; the database was not touched", name, plan.Identity)
		}
	}
	if parts, ok, err := e.planParts(ctx, name, path, opts, plan); ok || err != nil { // several databases (restore_databases.go)
		return parts, err
	}
	if err := targetProblem(target); err != nil {
		return plan, fmt.Errorf("restore %s: %w", name, err)
	}
	if m, err := e.restoreManifest(name); err == nil {
		if len(m.Databases) == 1 {
			plan.SourceDatabase = m.Databases[0]
		}
	} else {
		if errors.Is(err, ErrUntrusted) {
			plan.Untrusted = err.Error()
			plan.Warnings = append(plan.Warnings, err.Error()+": it is handled as a foreign dump, read and checked before anything changes")
		} else {
			plan.Warnings = append(plan.Warnings, "no valid manifest: a foreign or incomplete file; it is read and checked before anything changes")
		}
		others, err := e.otherDatabases(ctx, target)
		if err != nil {
			return plan, fmt.Errorf("restore %s: %w", name, err)
		}
		pp, err := e.inspectBackup(ctx, name, path, target, others, nil)
		if err != nil {
			return plan, fmt.Errorf("restore %s: %w; the database was not touched", name, err)
		}
		plan.SourceDatabase = pp.report.Database()
		if !pp.report.Completed {
			plan.Unterminated = true
			plan.Warnings = append(plan.Warnings, "this file "+unterminatedNote+"; go on only if you know it is whole")
		}
	}
	if plan.SourceDatabase != "" && plan.SourceDatabase != target {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("this is a backup of database %q; it will be restored into %q", plan.SourceDatabase, target))
	}
	exists, tables, err := e.targetTables(ctx, target)
	if err != nil {
		return plan, fmt.Errorf("restore %s: %w", name, err)
	}
	plan.Exists, plan.Tables = exists, tables
	if err := e.planTables(ctx, &plan, name); err != nil {
		return plan, fmt.Errorf("restore %s: %w", name, err)
	}
	reason, notes, err := e.swapReason(ctx, target, exists, tables, opts)
	if err != nil {
		return plan, fmt.Errorf("restore %s: %w", name, err)
	}
	plan.Mode, plan.ModeReason = ModeSwap, reason
	if reason != "" {
		plan.Mode = ModeInPlace
		plan.SafetyBackup = exists && len(tables) > 0 && !opts.NoSafetyBackup
	}
	plan.Warnings = append(plan.Warnings, notes...)
	if !exists {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("database %q does not exist: it will be created from the file alone", target))
	}
	plan.Warnings = append(plan.Warnings, e.Interrupted()...)
	return plan, nil
}

func (e *Engine) restoreTarget(opts RestoreOptions) string {
	if opts.Into != "" && opts.Database == "" {
		return opts.Into
	}
	return e.Cfg.Database.Primary()
}

// serverDB is a pool on the server with no default database: the target
// may not exist (a restore onto a new server).
func (e *Engine) serverDB() (*sql.DB, error) {
	c := e.mysqlConfig()
	c.DBName = ""
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return nil, fmt.Errorf("database config: %w", err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	return db, nil
}

// targetTables reports whether database db exists and its tables.
func (e *Engine) targetTables(ctx context.Context, db string) (bool, []string, error) {
	srv, err := e.serverDB()
	if err != nil {
		return false, nil, err
	}
	defer srv.Close()
	var n int
	if err := srv.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db).Scan(&n); err != nil {
		return false, nil, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	if n == 0 {
		return false, nil, nil
	}
	tables, err := queryStrings(ctx, srv, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", db)
	return true, tables, err
}

// querier is a *sql.DB or one *sql.Conn of it.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryStrings runs a query of one string column and returns its values,
// checking rows.Err so a killed connection is not a short list.
func queryStrings(ctx context.Context, db querier, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Restore replaces the target database with the backup's contents. In
// the swap mode (restore_swap.go) it loads a copy, checks it and swaps it
// in; a signed backup is then checked in the same pass that loads it
// (restore_swap_onepass.go). Otherwise it reads the whole file first
// (inspectBackup: decompression, the completion line, size and sha256
// against the manifest, and the gate's allow-list for every statement),
// checks what the server and account will accept, takes a safety backup
// of a non-empty target, then drops and recreates the target so that it
// holds exactly what the file holds: tables the backup does not have do
// not survive. It does not ask for confirmation; callers do, from
// PlanRestore.
func (e *Engine) Restore(ctx context.Context, name string, opts RestoreOptions, fn progress.Func) (RestoreResult, error) {
	start := time.Now()
	target := e.restoreTarget(opts)
	res := RestoreResult{Filename: name, Database: target}
	if err := e.fetchIfRemoteOnly(ctx, ActionRestore, name, fn); err != nil { // only on a remote: pull it, checked
		return res, err
	}
	err := e.do(ctx, actionSpec{action: ActionRestore, progress: fn, object: name, detail: "into " + target,
		lock: lockExclusive, wait: restoreLockWait, holder: "restore", database: target, prefix: "restore " + name,
		check: func() error {
			if _, err := catalog.Resolve(e.dir(), name); err != nil {
				return fmt.Errorf("restore %s: %w", name, err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.restore(ctx, name, target, opts, fn)
		if res.Parts != nil { // several databases (restore_databases.go)
			a.Detail = partsDetail(res)
		} else if res.SafetyBackup != "" {
			a.Detail += "; safety backup " + res.SafetyBackup
		}
		if res.Previous != "" {
			a.Detail += fmt.Sprintf("; swapped in %d ms, previous tables kept in %s", res.SwapWindow.Milliseconds(), res.Previous)
		}
		return err
	})
	res.Duration = time.Since(start)
	return res, err
}

func (e *Engine) restore(ctx context.Context, name, target string, opts RestoreOptions, fn progress.Func) (RestoreResult, error) {
	res := RestoreResult{Filename: name, Database: target}
	fail := func(err error) (RestoreResult, error) { return res, fmt.Errorf("restore %s: %w", name, err) }
	if path, err := catalog.Resolve(e.dir(), name); err == nil { // several databases (restore_databases.go)
		if c, err := e.fileContents(ctx, name, path); err == nil && wholeServer(c, opts) {
			return e.restoreParts(ctx, name, path, c, opts, fn)
		}
	}
	if err := targetProblem(target); err != nil {
		return fail(err)
	}
	path, err := catalog.Resolve(e.dir(), name)
	if err != nil {
		return fail(err)
	}
	res.Path = path
	if _, err := e.streamFor(name, nil); err != nil { // no identity: stop before anything else
		return fail(fmt.Errorf("%w; the database was not touched", err))
	}

	others, err := e.otherDatabases(ctx, target)
	if err != nil {
		return fail(err)
	}
	exists, tables, err := e.targetTables(ctx, target)
	if err != nil {
		return fail(err)
	}
	reason, _, err := e.swapReason(ctx, target, exists, tables, opts)
	if err != nil {
		return fail(fmt.Errorf("%w; the database was not touched", err))
	}
	pp, err := e.prepare(ctx, name, path, target, others, reason == "", opts, fn)
	if err != nil {
		return fail(fmt.Errorf("%w; the database was not touched", err))
	}
	res.Mode, res.ModeReason = ModeInPlace, reason
	if reason == "" {
		res.Mode = ModeSwap
		if err := e.restoreSwap(ctx, name, target, path, pp, others, opts, fn, &res); err != nil {
			return fail(err)
		}
		return res, nil
	}
	if exists && len(tables) > 0 && !opts.NoSafetyBackup {
		sb, err := e.safetyBackup(ctx, target)
		if err != nil {
			return fail(fmt.Errorf("safety backup of %q failed, nothing was restored: %w", target, err))
		}
		res.SafetyBackup = sb.Filename
	}
	journal, err := e.beginJournal(target, name, res.SafetyBackup)
	if err != nil {
		return fail(err)
	}
	if exists {
		if err := e.dropDatabase(ctx, target); err != nil {
			journal.fail(err)
			if res.SafetyBackup != "" { // a DROP cut short may have removed some tables
				err = fmt.Errorf("%w; if tables are missing, bring them back with: lifeboat restore %s", err, res.SafetyBackup)
			}
			return fail(err)
		}
	}
	st, err := e.load(ctx, path, pp.stream, target, others, opts, fn)
	res.Statements, res.Rows, res.LoadDataRows = st.Statements, st.Rows, st.LoadDataRows
	if err != nil {
		journal.fail(err)
		if lostConnection(err) {
			err = fmt.Errorf("%w: lost the connection to the server %s (it may have restarted or killed the session)", err, e.ServerLabel())
		}
		state := fmt.Sprintf("database %q is partially restored", target)
		if res.SafetyBackup != "" {
			state += "; bring it back with: lifeboat restore " + res.SafetyBackup
			if target != e.Cfg.Database.Primary() {
				state += " --into " + target
			}
		} else if !exists {
			state += "; it did not exist before: drop it or restore again"
		}
		return fail(fmt.Errorf("%w; %s", err, state))
	}
	res.RestoredAt = time.Now()
	if err := journal.done(); err != nil {
		return fail(fmt.Errorf("the restore finished, but its journal could not be removed: %w; remove %s by hand", err, journalName(target)))
	}
	if len(st.Definers) > 0 && !opts.StripDefiners {
		res.MissingDefiners = e.missingDefiners(ctx, st.Definers)
	}
	return res, nil
}

// missingDefiners checks definers against the server's accounts; when the
// account may not read mysql.user, every definer is reported unchecked.
func (e *Engine) missingDefiners(ctx context.Context, definers []string) []string {
	srv, err := e.serverDB()
	if err != nil {
		return definers
	}
	defer srv.Close()
	missing, err := restore.MissingDefiners(ctx, srv, definers)
	if err != nil {
		return definers
	}
	return missing
}

// dropDatabase empties the target so that it ends up equal to the file.
func (e *Engine) dropDatabase(ctx context.Context, target string) error {
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := srv.ExecContext(ctx, "DROP DATABASE "+quoteIdent(target)); err != nil {
		return fmt.Errorf("drop database %q before loading: %w", target, err)
	}
	return nil
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// countingReader counts the compressed bytes read, for progress.
type countingReader struct {
	r  io.Reader
	n  atomic.Int64
	tr *progress.Tracker
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.tr.SetBytes(c.n.Add(int64(n)))
	return n, err
}

// openDump opens the backup file for reading through its decompressor,
// counting compressed bytes into tr.
func openDump(path string, stream catalog.Stream, tr *progress.Tracker) (io.ReadCloser, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	if st, err := f.Stat(); err == nil {
		tr.SetBytesTotal(st.Size())
	}
	zr, err := stream.Reader(&countingReader{r: f, tr: tr})
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return zr, f, nil
}

// load runs the file into target.
func (e *Engine) load(ctx context.Context, path string, stream catalog.Stream, target string, others []string, opts RestoreOptions, fn progress.Func) (restore.Result, error) {
	return e.loadAs(ctx, path, stream, target, "", others, opts, fn)
}

// loadAs runs the file into target, a copy whose tables end up in final.
func (e *Engine) loadAs(ctx context.Context, path string, stream catalog.Stream, target, final string, others []string, opts RestoreOptions, fn progress.Func) (restore.Result, error) {
	tr := progress.Start("restore", fn, 0)
	defer tr.Finish()
	zr, f, err := openDump(path, stream, tr)
	if err != nil {
		return restore.Result{}, err
	}
	defer f.Close()
	defer zr.Close()
	return restore.Run(ctx, restore.Options{Config: e.mysqlConfig(), Database: target, Final: final, StripDefiners: opts.StripDefiners, Others: others,
		Pick: pickOf(ctx)}, zr, tr) // Pick: whole-server restores (restore_parts.go)
}

// lostConnection reports errors that mean the server went away under us
// (restarted, crashed, or killed the session), however the driver words it.
func lostConnection(err error) bool {
	for _, target := range []error{mysql.ErrInvalidConn, driver.ErrBadConn, syscall.EPIPE, syscall.ECONNRESET, syscall.ECONNREFUSED, io.ErrUnexpectedEOF} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
