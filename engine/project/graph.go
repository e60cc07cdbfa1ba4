package project

import (
	"fmt"
	"strings"
)

// Graph is the set of tables that belong to a project, in discovery order
// (root first), and the links that say which of their rows do.
type Graph struct {
	Cfg    Config
	Schema *Schema
	Order  []string // root first; each table after the tables it hangs off
	// Via are the links that make a table's rows the project's, the one
	// that found the table first. A row belongs when ANY of them points at
	// a project row (rows reachable by several paths are one row).
	Via map[string][]Link
	// Self are self-references (sections.parent_id), followed recursively.
	Self map[string][]Link
	// Checks are every link whose child or parent is in the graph: the
	// orphan check before commit runs over them (upward links included).
	Checks []Link
	depth  map[string]int
}

// Build walks links downward from the root: every table with a link into
// a table already in the set joins it. A table's rows are the project's
// when any of its links into the set points at a project row, except links
// that would close a cycle (projects.default_area_id → areas, or a link
// into a table whose rows are decided through this one): those do not
// decide membership but are still checked for orphans.
func Build(s *Schema, cfg Config) (*Graph, error) {
	root := s.Tables[cfg.Table]
	if root == nil {
		return nil, fmt.Errorf("projects.table %q: no such table in %s; fix [projects] table in the config", cfg.Table, s.Database)
	}
	for _, c := range []string{cfg.IDColumn, cfg.NameColumn} {
		if root.Col(c) == nil {
			return nil, fmt.Errorf("projects table %q has no column %q; fix [projects] id_column/name_column", cfg.Table, c)
		}
	}
	links, err := allLinks(s, cfg)
	if err != nil {
		return nil, err
	}
	g := &Graph{Cfg: cfg, Schema: s, Order: []string{cfg.Table}, Via: map[string][]Link{}, Self: map[string][]Link{}, depth: map[string]int{cfg.Table: 0}}
	for i := 0; i < len(g.Order); i++ {
		parent := g.Order[i]
		for _, l := range links {
			if _, in := g.depth[l.Table]; l.RefTable == parent && !in {
				g.depth[l.Table] = len(g.Order)
				g.Order = append(g.Order, l.Table)
				g.Via[l.Table] = []Link{l} // the link that found it comes first
			}
		}
	}
	for _, l := range links {
		_, childIn := g.depth[l.Table]
		_, parentIn := g.depth[l.RefTable]
		if childIn || parentIn {
			g.Checks = append(g.Checks, l)
		}
		switch {
		case !childIn || !parentIn || l.Table == cfg.Table || sameLink(g.Via[l.Table][0], l):
		case l.Table == l.RefTable:
			g.Self[l.Table] = append(g.Self[l.Table], l)
		case !g.dependsOn(l.RefTable, l.Table):
			// Another path into the project; skipped when the parent's
			// membership already depends on this table (a cycle).
			g.Via[l.Table] = append(g.Via[l.Table], l)
		}
	}
	for t, self := range g.Self {
		if len(s.Tables[t].PK) == 0 {
			return nil, fmt.Errorf("table %q references itself (%s) but has no primary key; add one to back up projects", t, self[0])
		}
	}
	return g, nil
}

// dependsOn reports whether table a's membership depends on table b
// through Via links.
func (g *Graph) dependsOn(a, b string) bool {
	seen := map[string]bool{}
	var walk func(t string) bool
	walk = func(t string) bool {
		if t == b {
			return true
		}
		if seen[t] {
			return false
		}
		seen[t] = true
		for _, l := range g.Via[t] {
			if walk(l.RefTable) {
				return true
			}
		}
		return false
	}
	return walk(a)
}

func sameLink(a, b Link) bool {
	return a.Name == b.Name && a.Table == b.Table && a.RefTable == b.RefTable
}

// allLinks is the declared foreign keys plus [[projects.relation]].
func allLinks(s *Schema, cfg Config) ([]Link, error) {
	links := append([]Link(nil), s.Links...)
	for i, r := range cfg.Relations {
		rt, rc, ok := strings.Cut(r.References, ".")
		if !ok || rt == "" || rc == "" {
			return nil, fmt.Errorf("projects.relation #%d: references %q must be \"table.column\"", i+1, r.References)
		}
		t, p := s.Tables[r.Table], s.Tables[rt]
		switch {
		case t == nil:
			return nil, fmt.Errorf("projects.relation #%d: no table %q in %s", i+1, r.Table, s.Database)
		case t.Col(r.Column) == nil:
			return nil, fmt.Errorf("projects.relation #%d: table %q has no column %q", i+1, r.Table, r.Column)
		case p == nil:
			return nil, fmt.Errorf("projects.relation #%d: no table %q in %s", i+1, rt, s.Database)
		case p.Col(rc) == nil:
			return nil, fmt.Errorf("projects.relation #%d: table %q has no column %q", i+1, rt, rc)
		}
		links = append(links, Link{Name: "config:" + r.Table + "." + r.Column, Table: r.Table, Columns: []string{r.Column}, RefTable: rt, RefColumns: []string{rc}})
	}
	return links, nil
}

// Has reports whether table t is in the graph.
func (g *Graph) Has(t string) bool { _, ok := g.depth[t]; return ok }

// Table returns a graph table's schema.
func (g *Graph) Table(t string) *Table { return g.Schema.Tables[t] }
