package project

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// batchBytes bounds one INSERT or DELETE statement.
const (
	batchBytes = 1 << 20
	batchRows  = 1000
)

// deleteRows removes rows (all current columns) by primary key, in
// batches; rows of tables without one are removed one at a time by every
// column (`<=>`, NULL-safe) with LIMIT 1, so duplicates go one by one.
func deleteRows(ctx context.Context, q querier, t *Table, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if len(t.PK) == 0 {
		var conds []string
		for _, c := range t.Columns {
			conds = append(conds, quote(c.Name)+" <=> ?")
		}
		stmt := fmt.Sprintf("DELETE FROM %s WHERE %s LIMIT 1", quote(t.Name), strings.Join(conds, " AND "))
		for _, r := range rows {
			args := make([]any, len(r))
			for j, v := range r {
				args[j] = bindValue(&t.Columns[j], v)
			}
			if _, err := q.ExecContext(ctx, stmt, args...); err != nil {
				return fmt.Errorf("delete from %q: %w", t.Name, err)
			}
		}
		return nil
	}
	var keyIdx []int
	for _, k := range t.PK {
		for j, c := range t.Columns {
			if c.Name == k {
				keyIdx = append(keyIdx, j)
			}
		}
	}
	for start := 0; start < len(rows); start += batchRows {
		end := min(start+batchRows, len(rows))
		var tuples [][]any
		for _, r := range rows[start:end] {
			tuples = append(tuples, bindRow(r, keyIdx, t.Columns))
		}
		where, args := inClause("", t.PK, tuples)
		if _, err := q.ExecContext(ctx, "DELETE FROM "+quote(t.Name)+" WHERE "+where, args...); err != nil {
			return fmt.Errorf("delete from %q: %w", t.Name, err)
		}
	}
	return nil
}

// insertRows writes backup rows with multi-row INSERTs. Values are bound
// (the driver quotes them; binary values go as binary strings).
func insertRows(ctx context.Context, q querier, table string, cols []Column, rows [][]any, tr *progress.Tracker) error {
	if len(rows) == 0 {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	head := fmt.Sprintf("INSERT INTO %s (%s) VALUES ", quote(table), quoteAll("", names))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var sb strings.Builder
	var args []any
	size, n, first := 0, 0, 0
	flush := func(upto int) error {
		if n == 0 {
			return nil
		}
		if _, err := q.ExecContext(ctx, sb.String(), args...); err != nil {
			return fmt.Errorf("insert into %q (rows %d–%d of %d): %w", table, first+1, upto, len(rows), err)
		}
		if tr != nil {
			tr.AddRows(int64(n))
			tr.AddStatements(1)
		}
		sb.Reset()
		args, size, n, first = args[:0], 0, 0, upto
		return nil
	}
	for i, r := range rows {
		if n == 0 {
			sb.WriteString(head)
		} else {
			sb.WriteString(", ")
		}
		sb.WriteString(tuple)
		for j, v := range r {
			args = append(args, bindValue(&cols[j], v))
		}
		for _, v := range r {
			switch x := v.(type) {
			case string:
				size += len(x) + 4
			case []byte:
				size += 2*len(x) + 10
			default:
				size += 4
			}
		}
		n++
		if size >= batchBytes || n >= batchRows {
			if err := flush(i + 1); err != nil {
				return err
			}
		}
	}
	return flush(len(rows))
}

// bindValue turns integers into Go integers so they are sent unquoted: a
// quoted '0' becomes 2000 in a YEAR column, a bare 0 stays 0000.
func bindValue(c *Column, v any) any {
	s, ok := v.(string)
	if !ok || c.Encoding != "number" {
		return v
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		return n
	}
	return v
}
