package project

import (
	"context"
	"fmt"
	"strings"
)

// Two checks keep a restore from leaving orphans, per link:
//   - refs: every value an inserted row points at must exist in the parent
//     table before COMMIT (upward rows such as users and languages are not
//     restored, so they must still be there);
//   - the rows that pointed at rows the restore deleted: their number with
//     a missing parent is counted before the changes and before COMMIT,
//     and any increase rolls back (old orphans are not our doing).

// orphanCheck is the second kind: child rows of link pointing at tuples.
type orphanCheck struct {
	link   Link
	tuples [][]any
}

// refCheck is the first kind: tuples inserted rows point at.
type refCheck struct {
	link   Link
	tuples [][]any
}

// missing counts the tuples with no parent row.
func (c refCheck) missing(ctx context.Context, q querier) (int64, error) {
	l := c.link
	var on []string
	for j, col := range l.RefColumns {
		on = append(on, fmt.Sprintf("p.%s = v.c%d", quote(col), j))
	}
	var total int64
	for start := 0; start < len(c.tuples); start += batchRows {
		end := min(start+batchRows, len(c.tuples))
		var sel []string
		var args []any
		for i, tu := range c.tuples[start:end] {
			var cols []string
			for j := range tu {
				if i == 0 {
					cols = append(cols, fmt.Sprintf("? AS c%d", j))
				} else {
					cols = append(cols, "?")
				}
			}
			sel = append(sel, "SELECT "+strings.Join(cols, ", "))
			args = append(args, tu...)
		}
		query := fmt.Sprintf("SELECT COUNT(*) FROM (%s) AS v WHERE NOT EXISTS (SELECT 1 FROM %s AS p WHERE %s)",
			strings.Join(sel, " UNION ALL "), quote(l.RefTable), strings.Join(on, " AND "))
		var n int64
		if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("check link %s: %w", l, err)
		}
		total += n
	}
	return total, nil
}

func planOrphanChecks(g *Graph, diffs map[string]*tableDiff, meta Meta) ([]refCheck, []orphanCheck) {
	var refs []refCheck
	var out []orphanCheck
	for _, l := range g.Checks {
		if d := diffs[l.Table]; d != nil {
			if tu := linkTuples(d.Insert, meta.Tables[l.Table].Columns, l.Columns); len(tu) > 0 {
				refs = append(refs, refCheck{link: l, tuples: tu})
			}
		}
		if d := diffs[l.RefTable]; d != nil {
			if tu := linkTuples(d.Delete, g.Table(l.RefTable).Columns, l.RefColumns); len(tu) > 0 {
				out = append(out, orphanCheck{link: l, tuples: tu})
			}
		}
	}
	return refs, out
}

// linkTuples collects the distinct non-NULL values of names in rows.
func linkTuples(rows [][]any, cols []Column, names []string) [][]any {
	idx := positions(cols, names)
	for _, i := range idx {
		if i < 0 {
			return nil
		}
	}
	seen := map[string]bool{}
	var tuples [][]any
	for _, r := range rows {
		tu := bindRow(r, idx, cols)
		if hasNil(tu) {
			continue // MATCH SIMPLE: a NULL is no reference
		}
		if k := string(rowKey(nil, tu)); !seen[k] {
			seen[k] = true
			tuples = append(tuples, tu)
		}
	}
	return tuples
}

func hasNil(vals []any) bool {
	for _, v := range vals {
		if v == nil {
			return true
		}
	}
	return false
}

// count runs the check's queries and sums them.
func (c orphanCheck) count(ctx context.Context, q querier) (int64, error) {
	l := c.link
	var on []string
	for j, col := range l.Columns {
		on = append(on, "p."+quote(l.RefColumns[j])+" = c."+quote(col))
	}
	var total int64
	for start := 0; start < len(c.tuples); start += batchRows {
		end := min(start+batchRows, len(c.tuples))
		where, args := inClause("c", l.Columns, c.tuples[start:end])
		query := fmt.Sprintf("SELECT COUNT(*) FROM %s AS c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE %s)",
			quote(l.Table), where, quote(l.RefTable), strings.Join(on, " AND "))
		var n int64
		if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("check link %s: %w", l, err)
		}
		total += n
	}
	return total, nil
}

func countOrphans(ctx context.Context, q querier, checks []orphanCheck) ([]int64, error) {
	out := make([]int64, len(checks))
	for i, c := range checks {
		n, err := c.count(ctx, q)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}
