package project

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/safetext"
)

// scanRows runs the project's-rows query for table t and calls fn for each
// row with the raw values (valid only during the call).
func scanRows(ctx context.Context, q querier, g *Graph, t, id string, fn func([]sql.RawBytes) error) error {
	tab := g.Table(t)
	where, n := g.Where(t, "x")
	query := fmt.Sprintf("SELECT %s FROM %s AS x WHERE %s", selectList("x", tab), quote(t), where)
	if len(tab.PK) > 0 {
		query += " ORDER BY " + quoteAll("x", tab.PK)
	}
	rows, err := q.QueryContext(ctx, query, Args(id, n)...)
	if err != nil {
		return fmt.Errorf("read table %q: %w", t, err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, len(tab.Columns))
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read table %q: %w", t, err)
		}
		if err := fn(raw); err != nil {
			return fmt.Errorf("table %q: %w", t, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read table %q: %w", t, err)
	}
	return nil
}

// sessionSetup makes values travel unchanged: UTC timestamps, utf8mb4,
// zero dates allowed, explicit zeros kept in AUTO_INCREMENT columns.
var sessionSetup = []string{
	"SET NAMES utf8mb4",
	"SET SESSION time_zone = '+00:00'",
	"SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'",
	"SET SESSION group_concat_max_len = 1048576",
}

func setup(ctx context.Context, q querier) error {
	for _, s := range sessionSetup {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// projectName reads the root row's name; found is false when the project
// does not exist.
func projectName(ctx context.Context, q querier, g *Graph, id string) (name string, found bool, err error) {
	c := g.Cfg
	var ns sql.NullString
	err = q.QueryRowContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s = ?", quote(c.NameColumn), quote(c.Table), quote(c.IDColumn)), id).Scan(&ns)
	if err == sql.ErrNoRows {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("read project %s from %s: %w", id, c.Table, err)
	}
	return ns.String, true, nil
}

// ProjectRow is one row of the root table.
type ProjectRow struct {
	ID   string
	Name string
}

// List reads every project's id and name, ordered by id.
func List(ctx context.Context, db *sql.DB, c Config) ([]ProjectRow, error) {
	q := fmt.Sprintf("SELECT %s, %s FROM %s ORDER BY %s", quote(c.IDColumn), quote(c.NameColumn), quote(c.Table), quote(c.IDColumn))
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list projects from %s: %w", c.Table, err)
	}
	defer rows.Close()
	var out []ProjectRow
	for rows.Next() {
		var id, name sql.NullString
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("list projects from %s: %w", c.Table, err)
		}
		out = append(out, ProjectRow{ID: id.String, Name: name.String})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list projects from %s: %w", c.Table, err)
	}
	return out, nil
}

// Counts returns the project's rows per graph table, in graph order.
func Counts(ctx context.Context, q querier, g *Graph, id string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, t := range g.Order {
		where, n := g.Where(t, "x")
		var c int64
		err := q.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s AS x WHERE %s", quote(t), where), Args(id, n)...).Scan(&c)
		if err != nil {
			return nil, fmt.Errorf("count table %q: %w", t, err)
		}
		out[t] = c
	}
	return out, nil
}

// Tree draws the graph with row counts, one table per line, indented under
// the table it hangs off.
func (g *Graph) Tree(counts map[string]int64) string {
	var b strings.Builder
	var walk func(t string, depth int)
	seen := map[string]bool{}
	walk = func(t string, depth int) {
		seen[t] = true
		fmt.Fprintf(&b, "%s%s  %d rows\n", strings.Repeat("  ", depth), safetext.Printable(t), counts[t])
		for _, c := range g.Order {
			if seen[c] || len(g.Via[c]) == 0 || g.Via[c][0].RefTable != t {
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(g.Cfg.Table, 0)
	return b.String()
}
