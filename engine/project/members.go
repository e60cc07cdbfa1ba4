package project

import (
	"fmt"
	"strings"
)

// sqlBuilder writes membership predicates. Every use of the project id is
// a `?`; args counts them so the caller binds the id that many times.
type sqlBuilder struct {
	g     *Graph
	alias int
	args  int
}

func (b *sqlBuilder) next() string {
	b.alias++
	return fmt.Sprintf("m%d", b.alias)
}

// Where returns the predicate on alias that selects the project's rows of
// table t, and how many times the project id must be bound.
func (g *Graph) Where(t, alias string) (string, int) {
	b := &sqlBuilder{g: g}
	cond := b.member(t, alias)
	return cond, b.args
}

// Args repeats id n times, for a predicate from Where.
func Args(id string, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = id
	}
	return out
}

func (b *sqlBuilder) member(t, alias string) string {
	if t == b.g.Cfg.Table {
		b.args++
		return alias + "." + quote(b.g.Cfg.IDColumn) + " = ?"
	}
	self := b.g.Self[t]
	if len(self) == 0 {
		return b.base(t, alias)
	}
	// Rows reached through the other links, then their descendants.
	tab := b.g.Table(t)
	seed, child, rec := b.next(), b.next(), b.next()
	cols := selfCols(tab, self)
	var joins []string
	for _, l := range self {
		var on []string
		for i := range l.Columns {
			on = append(on, child+"."+quote(l.Columns[i])+" = "+rec+"."+quote(l.RefColumns[i]))
		}
		joins = append(joins, "("+strings.Join(on, " AND ")+")")
	}
	cte := fmt.Sprintf("WITH RECURSIVE %s AS (SELECT %s FROM %s AS %s WHERE %s UNION SELECT %s FROM %s AS %s JOIN %s ON %s) SELECT %s FROM %s",
		rec, quoteAll(seed, cols), quote(t), seed, b.base(t, seed),
		quoteAll(child, cols), quote(t), child, rec, strings.Join(joins, " OR "),
		quoteAll(rec, tab.PK), rec)
	return "(" + quoteAll(alias, tab.PK) + ") IN (" + cte + ")"
}

// base is the OR of the table's links to tables found before it.
func (b *sqlBuilder) base(t, alias string) string {
	var parts []string
	for _, l := range b.g.Via[t] {
		p := b.next()
		sub := fmt.Sprintf("SELECT %s FROM %s AS %s WHERE %s", quoteAll(p, l.RefColumns), quote(l.RefTable), p, b.member(l.RefTable, p))
		parts = append(parts, "("+quoteAll(alias, l.Columns)+") IN ("+sub+")")
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// selfCols are the columns the recursive CTE carries: the primary key and
// every column a self-reference points at.
func selfCols(t *Table, self []Link) []string {
	seen := map[string]bool{}
	var cols []string
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
	}
	for _, c := range t.PK {
		add(c)
	}
	for _, l := range self {
		for _, c := range l.RefColumns {
			add(c)
		}
	}
	return cols
}
