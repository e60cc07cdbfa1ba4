package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// A swap moves tables with one RENAME TABLE, but triggers, views,
// routines and events belong to their schema and cannot move (a table
// with triggers may not even change schema: ER_TRG_IN_WRONG_SCHEMA). So
// their definitions are read before the swap and re-created where the
// tables went, with the session settings they were created under.

// schemaObject is one trigger, view, routine or event, as SHOW CREATE
// gives it, with the session it must be re-created in.
type schemaObject struct {
	kind      string // TRIGGER, VIEW, PROCEDURE, FUNCTION, EVENT
	name      string
	create    string // the CREATE statement, names unqualified
	sqlMode   string
	charset   string // character_set_client
	collation string // collation_connection
	timeZone  string // events only
}

// schemaObjects are a schema's movable tables and its objects.
type schemaObjects struct {
	tables  []string // base tables and sequences: what RENAME TABLE moves
	objects []schemaObject
	charset string // the schema's default character set and collation
	collate string
}

// readSchemaObjects reads the tables and object definitions of db on c,
// which it leaves with db as its current database (SHOW CREATE VIEW then
// names the view's own tables unqualified).
func readSchemaObjects(ctx context.Context, c *sql.Conn, db string) (schemaObjects, error) {
	var s schemaObjects
	if err := c.QueryRowContext(ctx, "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db).Scan(&s.charset, &s.collate); err != nil {
		return s, fmt.Errorf("read database %q: %w", db, err)
	}
	if _, err := c.ExecContext(ctx, "USE "+quoteIdent(db)); err != nil {
		return s, fmt.Errorf("use database %q: %w", db, err)
	}
	var err error
	if s.tables, err = connStrings(ctx, c, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE <> 'VIEW' ORDER BY TABLE_NAME", db); err != nil {
		return s, fmt.Errorf("list tables of %q: %w", db, err)
	}
	lists := []struct{ kind, query string }{
		{"PROCEDURE", "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'PROCEDURE' ORDER BY 1"},
		{"FUNCTION", "SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'FUNCTION' ORDER BY 1"},
		{"VIEW", "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1"},
		{"TRIGGER", "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER"},
		{"EVENT", "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1"},
	}
	for _, l := range lists {
		names, err := connStrings(ctx, c, l.query, db)
		if err != nil {
			return s, fmt.Errorf("list %ss of %q: %w", strings.ToLower(l.kind), db, err)
		}
		for _, n := range names {
			o, err := showCreate(ctx, c, l.kind, n)
			if err != nil {
				return s, fmt.Errorf("read %s %q.%q: %w", strings.ToLower(l.kind), db, n, err)
			}
			s.objects = append(s.objects, o)
		}
	}
	return s, nil
}

// showCreate reads one object's definition; SHOW CREATE puts the
// statement and its session settings in different columns per kind.
func showCreate(ctx context.Context, c *sql.Conn, kind, name string) (schemaObject, error) {
	o := schemaObject{kind: kind, name: name}
	rows, err := c.QueryContext(ctx, "SHOW CREATE "+kind+" "+quoteIdent(name))
	if err != nil {
		return o, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return o, err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return o, err
		}
		return o, errors.New("SHOW CREATE returned nothing")
	}
	if err := rows.Scan(ptrs...); err != nil {
		return o, err
	}
	col := map[string]string{}
	for i, n := range cols {
		col[strings.ToLower(n)] = vals[i].String
		if strings.HasPrefix(strings.ToLower(n), "create ") || n == "SQL Original Statement" {
			if !vals[i].Valid {
				return o, fmt.Errorf("the account may not read its definition (it needs the privileges of its definer); restore with --in-place")
			}
			o.create = vals[i].String
		}
	}
	o.sqlMode, o.charset, o.collation, o.timeZone = col["sql_mode"], col["character_set_client"], col["collation_connection"], col["time_zone"]
	if o.create == "" {
		return o, errors.New("SHOW CREATE gave no statement")
	}
	return o, rows.Err()
}

// orReplace turns "CREATE ..." into "CREATE OR REPLACE ...", so an object
// is replaced in one statement (a view never goes missing in between) and
// a re-run after a lost connection does not fail on what already exists.
func orReplace(create string) string {
	if rest, ok := strings.CutPrefix(create, "CREATE "); ok && !strings.HasPrefix(rest, "OR REPLACE ") {
		return "CREATE OR REPLACE " + rest
	}
	return create
}

// objectSession is the session settings last set on a connection, so
// that objects sharing them (most do) cost one round trip in the window.
type objectSession struct{ sqlMode, charset, collation, timeZone string }

// createObject re-creates o in the connection's current database, with
// qualified names of from rewritten to to.
func createObject(ctx context.Context, c execer, last *objectSession, o schemaObject, from, to string) error {
	want := objectSession{o.sqlMode, o.charset, o.collation, o.timeZone}
	if want.timeZone == "" {
		want.timeZone = last.timeZone
	}
	if want != *last {
		set := "SET SESSION sql_mode = ?, character_set_client = ?, collation_connection = ?"
		args := []any{o.sqlMode, o.charset, o.collation}
		if o.timeZone != "" {
			set += ", time_zone = ?"
			args = append(args, o.timeZone)
		}
		if _, err := c.ExecContext(ctx, set, args...); err != nil {
			*last = objectSession{}
			return fmt.Errorf("session of %s %q: %w", strings.ToLower(o.kind), o.name, err)
		}
		*last = want
	}
	stmt := orReplace(strings.ReplaceAll(o.create, quoteIdent(from)+".", quoteIdent(to)+"."))
	if _, err := c.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("create %s %q in %q: %w", strings.ToLower(o.kind), o.name, to, err)
	}
	return nil
}

// createObjects creates objs in to (the connection's current database) in
// an order that works: routines, then views (retried while one names a
// view not made yet), then triggers and events.
func createObjects(ctx context.Context, c execer, objs []schemaObject, from, to string) error {
	var last objectSession
	create := func(kinds ...string) error {
		for _, o := range objs {
			if slices.Contains(kinds, o.kind) {
				if err := createObject(ctx, c, &last, o, from, to); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := create("PROCEDURE", "FUNCTION"); err != nil {
		return err
	}
	var views []schemaObject
	for _, o := range objs {
		if o.kind == "VIEW" {
			views = append(views, o)
		}
	}
	for len(views) > 0 {
		var later []schemaObject
		var lastErr error
		for _, v := range views {
			if err := createObject(ctx, c, &last, v, from, to); err != nil {
				var me *mysql.MySQLError
				if errors.As(err, &me) && me.Number == 1146 { // names a view made later
					later, lastErr = append(later, v), err
					continue
				}
				return err
			}
		}
		if len(later) == len(views) {
			return lastErr
		}
		views = later
	}
	return create("TRIGGER", "EVENT")
}

// dropObjects drops objs of the given kinds from db.
func dropObjects(ctx context.Context, c execer, db string, objs []schemaObject, kinds ...string) error {
	for _, o := range objs {
		for _, k := range kinds {
			if o.kind == k {
				if _, err := c.ExecContext(ctx, "DROP "+o.kind+" IF EXISTS "+quoteIdent(db)+"."+quoteIdent(o.name)); err != nil {
					return fmt.Errorf("drop %s %q.%q: %w", strings.ToLower(o.kind), db, o.name, err)
				}
			}
		}
	}
	return nil
}

// connStrings is queryStrings on one connection.
func connStrings(ctx context.Context, c *sql.Conn, query string, args ...any) ([]string, error) {
	return queryStrings(ctx, c, query, args...)
}
