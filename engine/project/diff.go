package project

import (
	"context"
	"database/sql"
	"fmt"
)

// tableDiff is what restoring one table takes: the project's rows now
// versus the backup's, compared by key and then by content.
type tableDiff struct {
	Table     string
	Delete    [][]any // current rows to remove, all current columns
	Insert    [][]any // backup rows to write, backup columns
	Gone      int64   // current keys the backup lacks (rows that differ are deleted too)
	Unchanged int64
	Strays    int64 // rows outside the project holding a backup row's key, replaced
}

// diffTable reads the project's current rows of t and compares them with
// the backup's. Rows are compared on the backup's columns; a column added
// since keeps its current value in unchanged rows. Tables without a primary
// key are compared as multisets of whole rows.
func diffTable(ctx context.Context, q querier, g *Graph, t, id string, bcols []Column, brows [][]any) (*tableDiff, error) {
	tab := g.Table(t)
	if len(brows) == 0 {
		return deleteAll(ctx, q, g, t, id)
	}
	ix, err := indexBackup(tab, bcols, brows)
	if err != nil {
		return nil, err
	}
	d := &tableDiff{Table: t}
	matched := map[string]int{}
	cur := make([]any, len(bcols))
	var buf []byte
	err = scanRows(ctx, q, g, t, id, func(raw []sql.RawBytes) error {
		for i, j := range ix.proj {
			cur[i] = rawValue(&tab.Columns[j], raw[j])
		}
		buf = rowKey(buf[:0], cur)
		content := string(buf)
		same := matched[content] < ix.counts[content]
		if len(tab.PK) > 0 {
			want, ok := ix.byKey[string(rowKey(buf[:0], pick(cur, ix.bkey)))]
			same = ok && want == content
			if !ok {
				d.Gone++
			}
		} else if !same {
			d.Gone++
		}
		if same {
			d.Unchanged++
			matched[content]++
			return nil
		}
		all := make([]any, len(raw))
		for j := range raw {
			all[j] = rawValue(&tab.Columns[j], raw[j])
		}
		d.Delete = append(d.Delete, all)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, r := range brows {
		content := string(rowKey(buf[:0], r))
		if matched[content] > 0 {
			matched[content]--
			continue
		}
		d.Insert = append(d.Insert, r)
	}
	if err := findStrays(ctx, q, g, d, bcols); err != nil {
		return nil, err
	}
	return d, nil
}

// backupIndex is the backup side of a table diff.
type backupIndex struct {
	proj   []int             // backup column i is current column proj[i]
	bkey   []int             // positions of the primary key in backup rows
	byKey  map[string]string // key → content (tables with a primary key)
	counts map[string]int    // content → how many rows
}

func indexBackup(tab *Table, bcols []Column, brows [][]any) (*backupIndex, error) {
	names := make([]string, len(bcols))
	for i, c := range bcols {
		names[i] = c.Name
	}
	ix := &backupIndex{proj: positions(tab.Columns, names), bkey: positions(bcols, tab.PK),
		byKey: map[string]string{}, counts: map[string]int{}}
	for i, j := range ix.proj {
		if j < 0 {
			return nil, fmt.Errorf("table %q: column %q is gone", tab.Name, bcols[i].Name)
		}
	}
	for _, j := range ix.bkey {
		if j < 0 {
			return nil, fmt.Errorf("table %q: the primary key (%v) has columns the backup lacks", tab.Name, tab.PK)
		}
	}
	var buf []byte
	for _, r := range brows {
		buf = rowKey(buf[:0], r)
		content := string(buf)
		if len(tab.PK) > 0 {
			ix.byKey[string(rowKey(buf[:0], pick(r, ix.bkey)))] = content
		}
		ix.counts[content]++
	}
	return ix, nil
}

func pick(row []any, idx []int) []any {
	out := make([]any, len(idx))
	for i, j := range idx {
		out[i] = row[j]
	}
	return out
}

// deleteAll is the diff of a table the backup has no rows of (or did not
// know yet): every current project row goes.
func deleteAll(ctx context.Context, q querier, g *Graph, t, id string) (*tableDiff, error) {
	tab := g.Table(t)
	d := &tableDiff{Table: t}
	err := scanRows(ctx, q, g, t, id, func(raw []sql.RawBytes) error {
		all := make([]any, len(raw))
		for j := range raw {
			all[j] = rawValue(&tab.Columns[j], raw[j])
		}
		d.Delete = append(d.Delete, all)
		d.Gone++
		return nil
	})
	return d, err
}
