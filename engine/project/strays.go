package project

import (
	"context"
	"fmt"
	"strings"
)

// findStrays looks at backup rows about to be inserted whose primary key
// is taken by a row outside the project. A row that no link ties to
// anything any more (its parent was deleted and the link has no cascade,
// e.g. a [[projects.relation]]) belongs to nobody: it is the project's
// own row, stranded, and is replaced. Any other row belongs elsewhere and
// the restore is refused before any change.
func findStrays(ctx context.Context, q querier, g *Graph, d *tableDiff, bcols []Column) error {
	tab := g.Table(d.Table)
	if len(tab.PK) == 0 || len(d.Insert) == 0 || d.Table == g.Cfg.Table {
		return nil
	}
	bkey, curKey := positions(bcols, tab.PK), positions(tab.Columns, tab.PK)
	ours := map[string]bool{} // keys of current project rows: deleted anyway
	for _, r := range d.Delete {
		ours[string(rowKey(nil, pick(r, curKey)))] = true
	}
	for start := 0; start < len(d.Insert); start += batchRows {
		end := min(start+batchRows, len(d.Insert))
		var tuples [][]any
		for _, r := range d.Insert[start:end] {
			tuples = append(tuples, bindRow(r, bkey, bcols))
		}
		where, args := inClause("x", tab.PK, tuples)
		query := fmt.Sprintf("SELECT %s, %s FROM %s AS x WHERE %s", quoteAll("x", tab.PK), orphanExpr(g, d.Table, "x"), quote(d.Table), where)
		if err := collectStrays(ctx, q, tab, query, args, ours, d); err != nil {
			return err
		}
	}
	return nil
}

func collectStrays(ctx context.Context, q querier, tab *Table, query string, args []any, ours map[string]bool, d *tableDiff) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("check keys of %q: %w", tab.Name, err)
	}
	defer rows.Close()
	key := make([]any, len(tab.PK))
	for rows.Next() {
		raw := make([][]byte, len(tab.PK))
		var orphan bool
		dest := make([]any, 0, len(raw)+1)
		for i := range raw {
			dest = append(dest, &raw[i])
		}
		dest = append(dest, &orphan)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("check keys of %q: %w", tab.Name, err)
		}
		for i, k := range tab.PK {
			key[i] = rawValue(tab.Col(k), raw[i])
		}
		if ours[string(rowKey(nil, key))] {
			continue
		}
		if !orphan {
			return fmt.Errorf("table %q: the backup's row with %s = %v is taken by a row that belongs elsewhere now; move or delete that row first: %w",
				tab.Name, strings.Join(tab.PK, ","), key, ErrRefused)
		}
		full := make([]any, len(tab.Columns))
		for i, k := range tab.PK {
			for j, c := range tab.Columns {
				if c.Name == k {
					full[j] = key[i]
				}
			}
		}
		d.Delete = append(d.Delete, full)
		d.Strays++
	}
	return rows.Err()
}

// orphanExpr is true when none of the table's membership links points at
// an existing row.
func orphanExpr(g *Graph, t, alias string) string {
	var parts []string
	for _, l := range g.Via[t] {
		var on []string
		for i, c := range l.Columns {
			on = append(on, "p."+quote(l.RefColumns[i])+" = "+alias+"."+quote(c))
		}
		parts = append(parts, fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s AS p WHERE %s)", quote(l.RefTable), strings.Join(on, " AND ")))
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}
