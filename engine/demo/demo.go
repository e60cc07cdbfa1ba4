// Package demo owns lifeboat's sample data: a deterministic
// translation-management schema (users, languages, projects, areas, nested
// sections, strings, translations, and string_comments whose link to
// strings is not a declared foreign key) and a fast loader for it. `lifeboat
// demo`, the tests and the benchmark use it.
package demo

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
)

// Options choose how much data Seed makes and which.
type Options struct {
	// Scale multiplies the number of strings (and so translations and
	// comments): 1.0 is full size (~50k strings, ~200k translations); 0
	// means 1.0. The twelve projects, the users and the languages are
	// always all there.
	Scale float64
	// Seed picks the data: the same Seed and Scale always give identical
	// tables.
	Seed int64
}

func (o Options) scale() float64 {
	if o.Scale == 0 {
		return 1
	}
	return o.Scale
}

// Stats says what Seed wrote.
type Stats struct {
	Rows     map[string]int64 // rows per table
	Duration time.Duration
}

// Total is the number of rows in all tables.
func (s Stats) Total() int64 {
	var n int64
	for _, v := range s.Rows {
		n += v
	}
	return n
}

// loadSettings make the load fast and its literals unambiguous. They are
// session settings on one pinned connection, which is discarded afterwards
// so that they never leak into the caller's pool.
var loadSettings = []string{
	"SET NAMES utf8mb4",
	"SET SESSION time_zone = '+00:00'",
	"SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
	"SET SESSION foreign_key_checks = 0",
	"SET SESSION unique_checks = 0",
}

// Seed creates the demo schema in db's current database (which must not
// already hold demo rows) and fills it in one transaction.
func Seed(ctx context.Context, db *sql.DB, opts Options) (Stats, error) {
	if opts.Scale < 0 || opts.Scale > 100 {
		return Stats{}, fmt.Errorf("demo: scale %g is out of range: use a value above 0 and at most 100", opts.Scale)
	}
	start := time.Now()
	conn, err := db.Conn(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("demo: connect: %w", err)
	}
	// Throw the connection away rather than return it with our settings.
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if err := prepare(ctx, conn); err != nil {
		return Stats{}, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return Stats{}, fmt.Errorf("demo: begin: %w", err)
	}
	l := newLoader(ctx, tx, 1<<20)
	if err := generate(opts, l); err != nil {
		tx.Rollback()
		return Stats{}, err
	}
	if err := l.flushAll(); err != nil {
		tx.Rollback()
		return Stats{}, err
	}
	if err := tx.Commit(); err != nil {
		return Stats{}, fmt.Errorf("demo: commit: %w", err)
	}
	return Stats{Rows: l.rows, Duration: time.Since(start)}, nil
}

// prepare applies the load settings, creates the tables and makes sure
// they are empty.
func prepare(ctx context.Context, conn *sql.Conn) error {
	var dbName sql.NullString
	if err := conn.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&dbName); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !dbName.Valid {
		return fmt.Errorf("demo: no database selected: connect with a database name")
	}
	for _, q := range loadSettings {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("demo: %s: %w", q, err)
		}
	}
	for i, ddl := range Schema() {
		if _, err := conn.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("demo: create table %s in %s: %w", Tables()[i], dbName.String, err)
		}
	}
	for _, t := range Tables() {
		var n int
		err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM `"+t+"` LIMIT 1) x").Scan(&n)
		if err != nil {
			return fmt.Errorf("demo: check table %s: %w", t, err)
		}
		if n > 0 {
			return fmt.Errorf("demo: table %s.%s already has rows: seed an empty database", dbName.String, t)
		}
	}
	return nil
}

// ProjectsConfig is the [projects] configuration that fits the demo
// schema, including the relation for string_comments, whose link to
// strings is not a declared foreign key.
func ProjectsConfig() config.Projects {
	return config.Projects{
		Table:      "projects",
		IDColumn:   "id",
		NameColumn: "name",
		Keep:       config.DefaultProjectKeep,
		Relations: []config.Relation{
			{Table: "string_comments", Column: "string_id", References: "strings.id"},
		},
	}
}
