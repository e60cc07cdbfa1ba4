package verify

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// CheckObjects is the check that the throwaway copy holds exactly the
// objects the manifest names.
const CheckObjects = "objects"

// objectSet is kind ("table", "view", "sequence", "procedure", "function",
// "package", "package body", "trigger", "event") → names. Objects outside
// the scratch database are keyed "db.name" under their kind, and an extra
// database under "database".
type objectSet map[string]map[string]bool

func (s objectSet) add(kind, name string) {
	if s[kind] == nil {
		s[kind] = map[string]bool{}
	}
	s[kind][name] = true
}

// kindOrder is how object lists are shown.
var kindOrder = []string{"database", "table", "sequence", "view", "procedure", "function", "package", "package body", "trigger", "event"}

var systemSchemas = "('mysql','information_schema','performance_schema','sys')"

// restoredObjects lists every user object on the throwaway server (which
// was empty before the load, so all of it came from the file), and the
// base tables of the scratch database.
// With multi (a backup of several databases, each restored under its own
// name) every object and table is named "db.name".
func restoredObjects(ctx context.Context, db *sql.DB, multi bool) (objectSet, map[string]bool, error) {
	got, tables := objectSet{}, map[string]bool{}
	queries := []string{
		"SELECT SCHEMA_NAME, '', 'database' FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN " + systemSchemas,
		`SELECT TABLE_SCHEMA, TABLE_NAME, CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' WHEN 'SEQUENCE' THEN 'sequence' ELSE 'table' END
			FROM information_schema.TABLES WHERE TABLE_SCHEMA NOT IN ` + systemSchemas,
		"SELECT ROUTINE_SCHEMA, ROUTINE_NAME, LOWER(ROUTINE_TYPE) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA NOT IN " + systemSchemas,
		"SELECT TRIGGER_SCHEMA, TRIGGER_NAME, 'trigger' FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA NOT IN " + systemSchemas,
		"SELECT EVENT_SCHEMA, EVENT_NAME, 'event' FROM information_schema.EVENTS WHERE EVENT_SCHEMA NOT IN " + systemSchemas,
	}
	for _, q := range queries {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return nil, nil, fmt.Errorf("list the restored objects: %w", err)
		}
		for rows.Next() {
			var schema, name, kind string
			if err := rows.Scan(&schema, &name, &kind); err != nil {
				rows.Close()
				return nil, nil, err
			}
			switch {
			case multi && kind == "database":
				got.add(kind, schema)
			case multi:
				got.add(kind, schema+"."+name)
				if kind == "table" {
					tables[schema+"."+name] = true
				}
			case kind == "database" && schema != scratchDB:
				got.add(kind, schema)
			case kind == "database":
			case schema == scratchDB:
				got.add(kind, name)
				if kind == "table" {
					tables[name] = true
				}
			default:
				got.add(kind, schema+"."+name)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("list the restored objects: %w", err)
		}
	}
	return got, tables, nil
}

// manifestObjects is what the manifest says the file holds. legacy is true
// for a manifest from before the objects field: then only tables (and
// sequences, which it lists among the tables) can be compared.
func manifestObjects(m *catalog.Manifest) (want objectSet, legacy bool) {
	want = objectSet{}
	seq := map[string]bool{}
	for _, n := range m.Objects["sequence"] {
		seq[n] = true
	}
	multi := wholeServerPick(m) != nil
	for key := range m.Tables {
		name := key
		if !multi {
			name = unqualify(key, m.Databases)
		}
		if !seq[name] {
			want.add("table", name)
		}
	}
	if multi {
		for _, db := range m.Databases {
			want.add("database", db)
		}
	}
	for kind, names := range m.Objects {
		for _, n := range names {
			want.add(kind, n)
		}
	}
	return want, m.Objects == nil
}

func unqualify(key string, dbs []string) string {
	for _, db := range dbs {
		if rest, ok := strings.CutPrefix(key, db+"."); ok {
			return rest
		}
	}
	return key
}

// objectCheck compares the copy with the manifest both ways: an object
// the file created that the manifest does not name fails the check as
// surely as one that is missing.
func objectCheck(got objectSet, m *catalog.Manifest) Check {
	c := Check{Name: CheckObjects}
	if m == nil {
		c.Info = true
		c.Detail = "no manifest to compare with: the copy holds " + describe(got)
		return c
	}
	want, legacy := manifestObjects(m)
	if legacy { // sequences were listed as tables
		for n := range got["sequence"] {
			got.add("table", n)
		}
		delete(got, "sequence")
		for _, k := range []string{"view", "procedure", "function", "package", "package body", "trigger", "event"} {
			delete(got, k)
		}
	}
	extra, missing := diffSets(got, want), diffSets(want, got)
	if len(extra) > 0 || len(missing) > 0 {
		var parts []string
		if len(extra) > 0 {
			parts = append(parts, "in the copy but not in the manifest: "+strings.Join(extra, ", "))
		}
		if len(missing) > 0 {
			parts = append(parts, "in the manifest but missing from the copy: "+strings.Join(missing, ", "))
		}
		c.Detail = strings.Join(parts, "; ") + ": the file does not hold what its manifest says"
		return c
	}
	c.OK = true
	c.Detail = describe(got) + ", exactly the manifest's"
	if legacy {
		c.Detail += " (this manifest predates object lists: only tables were compared)"
	}
	return c
}

// diffSets lists "kind name" for every object in a that b lacks.
func diffSets(a, b objectSet) []string {
	var out []string
	for _, kind := range kinds(a) {
		var names []string
		for n := range a[kind] {
			if !b[kind][n] {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			out = append(out, kind+" "+quoteIdent(n))
		}
	}
	return out
}

// kinds lists the kinds present in s in display order, unknown ones last.
func kinds(s objectSet) []string {
	var out []string
	known := map[string]bool{}
	for _, k := range kindOrder {
		known[k] = true
		if len(s[k]) > 0 {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range s {
		if !known[k] && len(s[k]) > 0 {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func describe(s objectSet) string {
	var parts []string
	for _, k := range kinds(s) {
		n := len(s[k])
		word := k
		switch {
		case n == 1:
		case strings.HasSuffix(k, "y"):
			word = k[:len(k)-1] + "ies"
		default:
			word += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, word))
	}
	if len(parts) == 0 {
		return "no objects"
	}
	return strings.Join(parts, ", ")
}
