package restore

import (
	"slices"

	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// Tables told loaded (Options.OnTableLoaded): a swap restore checks each
// table of its copy while the next ones load, instead of all of them after
// the last (issue 18: the check ran 0.4 s after a 5 s load of the mixed
// bench shape). A table is loaded once the dump has moved past it: the
// next statement that is not part of loading it (another CREATE TABLE, a
// view, the end). A dump may come back to a table later; such a table is
// noted in Result.Revisited, and its early check must be made again.

type loadedTables struct {
	filling   []string        // created since the last report; rows may still come
	told      map[string]bool // reported to OnTableLoaded
	revisited map[string]bool
}

// tellsLoaded reports whether the caller asked to be told.
func (x *executor) tellsLoaded() bool { return x.opts.OnTableLoaded != nil && x.opts.Pick == nil }

// startFilling notes a table whose rows are about to be loaded.
func (x *executor) startFilling(table string) {
	if x.tellsLoaded() && table != "" {
		x.loaded.filling = append(x.loaded.filling, table)
	}
}

// stillFilling reports whether st continues the load of a table just
// created (DISABLE/ENABLE KEYS, SETVAL, the pieces of a big value).
func (x *executor) stillFilling(st *sqlsplit.Statement) bool {
	return st != nil && (st.Kind == sqlsplit.Alter || st.Kind == sqlsplit.Select || st.Kind == sqlsplit.Update) &&
		slices.Contains(x.loaded.filling, st.Table)
}

// tellLoaded reports the filled tables, after a barrier (their rows are
// committed). A table with a deferred index build is reported by the
// index builder as that build starts: a check that took the table first
// would hold the build back until it ended.
func (x *executor) tellLoaded(indexed map[string]bool) {
	if len(x.loaded.filling) == 0 {
		return
	}
	if x.loaded.told == nil {
		x.loaded.told = map[string]bool{}
	}
	for _, t := range x.loaded.filling {
		x.loaded.told[t] = true
		if !indexed[t] {
			x.opts.OnTableLoaded(t)
		}
	}
	x.loaded.filling = x.loaded.filling[:0]
}

// noteWrite marks a reported table that st writes to again; a statement
// that may write without naming its table marks them all.
func (x *executor) noteWrite(st *sqlsplit.Statement) {
	if len(x.loaded.told) == 0 {
		return
	}
	switch st.Kind {
	case sqlsplit.Insert, sqlsplit.Update, sqlsplit.Select, sqlsplit.Alter, sqlsplit.Drop, sqlsplit.CreateIndex, sqlsplit.Other:
	default:
		return
	}
	if st.Kind == sqlsplit.Alter && st.Table == "" {
		return // ALTER DATABASE: no rows
	}
	if x.loaded.revisited == nil {
		x.loaded.revisited = map[string]bool{}
	}
	if st.Table == "" {
		for t := range x.loaded.told {
			x.loaded.revisited[t] = true
		}
		return
	}
	if x.loaded.told[st.Table] {
		x.loaded.revisited[st.Table] = true
	}
}

func (x *executor) revisited() []string {
	var out []string
	for t := range x.loaded.revisited {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}
