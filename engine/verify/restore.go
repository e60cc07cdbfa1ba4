package verify

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// Names of the checks a restore adds.
const (
	CheckRestore         = "restore"
	CheckRestoredRows    = "restored row counts"
	CheckRestoreChecksum = "checksums"
)

// RestoreOptions say which file to load into a throwaway server.
type RestoreOptions struct {
	Path        string
	Compression string
	Manifest    *catalog.Manifest // nil for a foreign file: counts are reported, not compared
	Tracker     *progress.Tracker // may be nil
}

// scratchDB is the default database for dumps without a USE statement.
const scratchDB = "lifeboat_verify"

// Restore loads the backup into a throwaway MariaDB (stopped and removed
// afterwards), then counts the rows of every table against the manifest
// and records CHECKSUM TABLE of each. Only a cancelled ctx is an error.
func Restore(ctx context.Context, opts RestoreOptions) ([]Check, error) {
	start := time.Now()
	srv, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return []Check{{Name: CheckRestore, Detail: "cannot start a throwaway MariaDB: " + err.Error()}}, nil
	}
	defer srv.Stop()
	if err := load(ctx, srv, opts); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return []Check{{Name: CheckRestore, Detail: err.Error()}}, nil
	}
	checks := []Check{{Name: CheckRestore, OK: true, Detail: fmt.Sprintf("loaded into a throwaway MariaDB %s in %s",
		srv.Version, time.Since(start).Round(100*time.Millisecond))}}
	db, err := srv.Open("")
	if err != nil {
		return append(checks, Check{Name: CheckRestoredRows, Detail: err.Error()}), nil
	}
	defer db.Close()
	tables, err := restoredTables(ctx, db)
	if err != nil {
		return append(checks, Check{Name: CheckRestoredRows, Detail: err.Error()}), nil
	}
	checks = append(checks, countCheck(ctx, db, tables, opts.Manifest), checksumCheck(ctx, db, tables))
	return checks, ctx.Err()
}

// load restores the backup with engine/restore (the path a real restore
// takes), every database of the dump landing in one scratch database.
func load(ctx context.Context, srv *sandbox.Server, opts RestoreOptions) error {
	dec, closeAll, err := openSQL(ctx, opts)
	if err != nil {
		return err
	}
	defer closeAll()
	tr := opts.Tracker
	if tr == nil {
		tr = progress.Start("verify", nil, 0)
		defer tr.Finish()
	}
	if _, err := restore.Run(ctx, restore.Options{Config: srv.Config(""), Database: scratchDB}, dec, tr); err != nil {
		return fmt.Errorf("restoring into a throwaway MariaDB failed: %w", err)
	}
	return nil
}

// openSQL opens the backup and its decompressor, counting file bytes.
func openSQL(ctx context.Context, opts RestoreOptions) (io.Reader, func(), error) {
	f, err := os.Open(opts.Path)
	if err != nil {
		return nil, nil, err
	}
	dec, err := catalog.NewReader(&countingReader{ctx: ctx, r: f, tr: opts.Tracker}, opts.Compression)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return dec, func() { dec.Close(); f.Close() }, nil
}

type tableRef struct{ db, name string }

func (t tableRef) quoted() string { return quoteIdent(t.db) + "." + quoteIdent(t.name) }

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// restoredTables lists the base tables the load created (the server was
// empty before it, so every user schema came from the backup).
func restoredTables(ctx context.Context, db *sql.DB) ([]tableRef, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_schema, table_name FROM information_schema.tables
		WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('mysql','information_schema','performance_schema','sys')
		ORDER BY table_schema, table_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tableRef
	for rows.Next() {
		var t tableRef
		if err := rows.Scan(&t.db, &t.name); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func countCheck(ctx context.Context, db *sql.DB, tables []tableRef, m *catalog.Manifest) Check {
	c := Check{Name: CheckRestoredRows}
	got := map[string]int64{}
	var total int64
	for _, t := range tables {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t.quoted()).Scan(&n); err != nil {
			c.Detail = fmt.Sprintf("count rows of %s: %v", t.name, err)
			return c
		}
		got[t.db+"."+t.name] += n
		got[t.name] += n
		total += n
	}
	if m == nil {
		c.OK, c.Detail = true, fmt.Sprintf("%s rows in %d tables (no manifest to compare with)", humanize.Comma(total), len(tables))
		return c
	}
	var diffs []string
	for name, want := range m.Tables {
		if n := got[name]; n != want {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows restored, %d in the manifest", name, n, want))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		c.Detail = strings.Join(diffs, "; ")
		return c
	}
	c.OK, c.Detail = true, fmt.Sprintf("%s rows in %d tables match the manifest", humanize.Comma(total), len(m.Tables))
	return c
}

func checksumCheck(ctx context.Context, db *sql.DB, tables []tableRef) Check {
	c := Check{Name: CheckRestoreChecksum, OK: true}
	var parts []string
	for _, t := range tables {
		var name string
		var sum sql.NullInt64
		if err := db.QueryRowContext(ctx, "CHECKSUM TABLE "+t.quoted()).Scan(&name, &sum); err != nil || !sum.Valid {
			c.OK = false
			parts = append(parts, fmt.Sprintf("%s: no checksum (%v)", t.name, err))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%d", t.name, sum.Int64))
	}
	c.Detail = "CHECKSUM TABLE " + strings.Join(parts, ", ")
	if len(tables) == 0 {
		c.Detail = "no tables restored"
	}
	return c
}
