package restore

import (
	"fmt"
	"slices"

	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// statement runs one statement of the dump according to its kind.
func (x *executor) statement(st *sqlsplit.Statement) error {
	// The second line of defence: the engine's pre-pass has refused such a
	// file already, but a file can change in between, and verify --restore
	// runs here too.
	if err := x.gate.Check(st); err != nil {
		return fmt.Errorf("%w: refused; it did not run", err)
	}
	switch st.Kind {
	case sqlsplit.Insert:
		if err := x.ensureDatabase(); err != nil {
			return err
		}
		x.tr.SetTable(st.Table)
		x.inflight.Add(1)
		select {
		case x.jobs <- job{sql: string(st.SQL), line: st.Line, table: st.Table, rows: st.Rows, session: x.session, noBackslash: st.NoBackslash}:
		case <-x.ctx.Done():
			x.inflight.Done()
		}
		return nil
	case sqlsplit.Lock, sqlsplit.Unlock:
		return nil // table locks would serialise the workers; nobody else writes here
	case sqlsplit.Use:
		if err := x.noteSource(st.Database, st); err != nil {
			return err
		}
		return x.ensureDatabase()
	case sqlsplit.CreateDatabase:
		if err := x.noteSource(st.Database, st); err != nil {
			return err
		}
		x.barrier()
		if _, err := x.main.ExecContext(x.ctx, string(renameDatabase(st.SQL, st.Database, x.opts.Database))); err != nil {
			return stmtError(st, err)
		}
		return x.ensureDatabase()
	case sqlsplit.Set:
		x.barrier()
		if _, err := x.main.ExecContext(x.ctx, string(st.SQL)); err != nil {
			return stmtError(st, err)
		}
		if err := x.checkMode(st, st.NoBackslash); err != nil {
			return err
		}
		x.session = append(x.session[:len(x.session):len(x.session)], string(st.SQL))
		return nil
	}
	return x.ddl(st)
}

// ddl runs a schema statement after every in-flight insert has finished.
func (x *executor) ddl(st *sqlsplit.Statement) error {
	if err := x.ensureDatabase(); err != nil {
		return err
	}
	sql := st.SQL
	if st.Kind == sqlsplit.Drop && sqlsplit.DropsDatabase(sql) {
		return nil // the caller decided how to empty the target
	}
	if st.Kind == sqlsplit.CreateView || st.Kind == sqlsplit.CreateRoutine {
		sql = x.definer(sql)
	}
	if x.source != "" && x.source != x.opts.Database {
		sql = requalify(sql, x.source, x.opts.Database)
	}
	if st.Kind == sqlsplit.CreateTable && x.opts.Final != "" && x.opts.Final != x.opts.Database {
		sql = requalifyColumns(sql, x.opts.Database, x.opts.Final)
	}
	if st.Kind == sqlsplit.Alter && st.Table == "" && st.Database != "" { // ALTER DATABASE of the file's own
		sql = renameDatabase(sql, st.Database, x.opts.Database)
	}
	if err := x.flushIndexes(st); err != nil {
		return err
	}
	x.forgetTables() // the columns LOAD DATA converts for may change
	if st.Kind == sqlsplit.CreateTable {
		x.tables++
		x.tr.SetTable(st.Table)
		if !x.opts.KeepIndexes {
			if create, alter, ok := splitIndexes(sql, st.Table); ok {
				sql = create
				x.deferred = append(x.deferred, deferredIndex{alter: alter, st: *st, session: x.session})
			}
		}
	}
	x.barrier()
	if _, err := x.main.ExecContext(x.ctx, string(sql)); err != nil {
		return stmtError(st, err)
	}
	if st.Kind == sqlsplit.CreateTable {
		x.tr.TableDone()
		x.startFilling(st.Table)
	}
	return nil
}

// noteSource remembers the dump's database; a second one is refused: a
// restore fills exactly one database.
func (x *executor) noteSource(name string, st *sqlsplit.Statement) error {
	switch {
	case name == "":
		return nil
	case x.source == "":
		x.source = name
	case x.source != name:
		return &StatementError{Line: st.Line, Excerpt: excerpt(st.SQL),
			Err: fmt.Errorf("the file holds more than one database (%q and %q); lifeboat restores one database at a time", x.source, name)}
	}
	return nil
}

// ensureDatabase creates the target when the dump did not, and selects it
// on the main connection and (through the session log) on the workers.
func (x *executor) ensureDatabase() error {
	if x.created {
		return nil
	}
	x.barrier()
	q := "CREATE DATABASE IF NOT EXISTS " + quoteName(x.opts.Database)
	if _, err := x.main.ExecContext(x.ctx, q); err != nil {
		return fmt.Errorf("create database %q: %w", x.opts.Database, err)
	}
	use := "USE " + quoteName(x.opts.Database)
	if _, err := x.main.ExecContext(x.ctx, use); err != nil {
		return fmt.Errorf("use database %q: %w", x.opts.Database, err)
	}
	x.session = append(x.session[:len(x.session):len(x.session)], use)
	x.created = true
	return nil
}

// definer records the statement's definer and strips it when asked.
func (x *executor) definer(sql []byte) []byte {
	user, host, start, end, ok := sqlsplit.Definer(sql)
	if !ok || user == "CURRENT_USER" {
		return sql
	}
	x.definers[fmt.Sprintf("'%s'@'%s'", user, host)] = true
	if !x.opts.StripDefiners {
		return sql
	}
	out := make([]byte, 0, len(sql))
	out = append(out, sql[:start]...)
	return append(out, sql[end:]...)
}

// deferredIndex is an ALTER TABLE that adds indexes after the data.
type deferredIndex struct {
	alter   string
	st      sqlsplit.Statement // the CREATE TABLE, for error messages
	session []string           // the session log when it was deferred
	tell    bool               // tell OnTableLoaded as the build starts
}

// flushIndexes hands deferred indexes to the index builder once a table's
// data is in: before the next statement that is not part of loading it (or
// at the end, with st nil). Statements that may depend on a table's
// indexes (views, routines, triggers, anything naming a table still being
// indexed) wait until every queued build is done.
func (x *executor) flushIndexes(st *sqlsplit.Statement) error {
	if st != nil && (st.Kind == sqlsplit.Alter || st.Kind == sqlsplit.Select || st.Kind == sqlsplit.Update) && len(x.deferred) > 0 {
		return nil // DISABLE/ENABLE KEYS, SETVAL, the pieces of a big value: still loading
	}
	if len(x.deferred) > 0 || (len(x.loaded.filling) > 0 && !x.stillFilling(st)) {
		x.barrier() // the rows are committed before the index is built or the table checked
		indexed := map[string]bool{}
		for _, d := range x.deferred {
			d.tell = x.tellsLoaded() && slices.Contains(x.loaded.filling, d.st.Table)
			indexed[d.st.Table] = d.tell
			x.ix.queue(d)
		}
		x.deferred = x.deferred[:0]
		x.tellLoaded(indexed)
	}
	if st == nil || !x.ix.independent(st) {
		return x.ix.wait()
	}
	return nil
}
