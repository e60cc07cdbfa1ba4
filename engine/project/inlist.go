package project

import (
	"strings"
)

// inClause matches rows whose cols equal one of tuples. A composite key
// also gets `first IN (...)`, so the server can use an index range; a
// row-constructor IN list alone makes it scan the whole table.
func inClause(alias string, cols []string, tuples [][]any) (string, []any) {
	col := func(c string) string {
		if alias == "" {
			return quote(c)
		}
		return alias + "." + quote(c)
	}
	var args []any
	if len(cols) == 1 {
		for _, t := range tuples {
			args = append(args, t[0])
		}
		return col(cols[0]) + " IN (" + marks(len(tuples)) + ")", args
	}
	seen := map[any]bool{}
	var firsts []any
	for _, t := range tuples {
		if k := keyOf(t[0]); !seen[k] {
			seen[k] = true
			firsts = append(firsts, t[0])
		}
	}
	args = append(args, firsts...)
	tuple := "(" + marks(len(cols)) + ")"
	for _, t := range tuples {
		args = append(args, t...)
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = col(c)
	}
	return col(cols[0]) + " IN (" + marks(len(firsts)) + ") AND (" + strings.Join(names, ", ") + ") IN (" +
		strings.TrimSuffix(strings.Repeat(tuple+", ", len(tuples)), ", ") + ")", args
}

func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// keyOf makes a bound value usable as a map key.
func keyOf(v any) any {
	if b, ok := v.([]byte); ok {
		return "b:" + string(b)
	}
	return v
}

// bindRow binds the values at idx of row, whose columns are cols.
func bindRow(row []any, idx []int, cols []Column) []any {
	out := make([]any, len(idx))
	for i, j := range idx {
		out[i] = bindValue(&cols[j], row[j])
	}
	return out
}

// positions finds names in cols; -1 when missing.
func positions(cols []Column, names []string) []int {
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = -1
		for j, c := range cols {
			if c.Name == n {
				out[i] = j
			}
		}
	}
	return out
}
