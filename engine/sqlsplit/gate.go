package sqlsplit

import (
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
)

// The gate is the allow-list of a database restore: a file may hold only
// the statements a dump of one database holds, every name must resolve to
// that database, and nothing may reach accounts, global settings, files or
// other schemas. It classifies what the server would execute: comments are
// skipped and conditional comments (/*!50003 ... */, /*M!...*/) are read as
// SQL, so neither hides a statement nor smuggles one in.

// GateOptions say what a restore may touch.
type GateOptions struct {
	// Target is the database the restore fills. Empty (verify): the file's
	// own one database.
	Target string
	// Others are the other databases on the server. A name qualified with
	// one of them is refused even where "a.b" could be table.column.
	Others []string
	// Accounts is the hook for the whole-server restore (accounts and
	// grants). Account statements stay refused here whatever it says: a
	// Picker leaves them out of a database's part, and the engine checks
	// them on their own (engine/restore_accounts.go).
	Accounts bool
	// Allowed are other databases the restore's plan names (the file's own
	// databases, in a dump of several): a definition may name them, as a
	// view over another database does, and they are kept as written. Rows
	// still go only into the target.
	Allowed []string
}

// Refusal is the first statement the gate does not allow.
type Refusal struct {
	Line    int
	Reason  string
	Excerpt string
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("line %s: %s [%s]", humanize.Comma(int64(r.Line)), r.Reason, r.Excerpt)
}

// SystemSchema reports the server's own schemas: never a restore target,
// never named by a restored statement.
func SystemSchema(name string) bool {
	switch strings.ToLower(name) {
	case "mysql", "sys", "performance_schema", "information_schema":
		return true
	}
	return false
}

// Gate checks statements in file order (it follows the file's database and
// sql_mode).
type Gate struct {
	opts    GateOptions
	others  map[string]bool
	allowed map[string]bool
	source  string
	mode    sqlMode
	vars    map[string]setting // user variables set so far, and the sql_mode they hold if known
}

// sqlMode is what the gate follows of sql_mode: how strings end.
type sqlMode struct{ noBackslash bool }

// NewGate starts a gate for one file.
func NewGate(opts GateOptions) *Gate {
	g := &Gate{opts: opts, others: map[string]bool{}, allowed: map[string]bool{}, vars: map[string]setting{}}
	for _, o := range opts.Others {
		if o != opts.Target {
			g.others[o] = true
		}
	}
	for _, a := range opts.Allowed {
		if !SystemSchema(a) {
			g.allowed[a] = true
		}
	}
	return g
}

// Source is the database the file creates or uses ("" when it names none).
func (g *Gate) Source() string { return g.source }

// Check returns a *Refusal when st is not allowed.
func (g *Gate) Check(st *Statement) error {
	reason := g.reason(st)
	if reason == "" && st.NoBackslash != g.mode.noBackslash {
		reason = "sets sql_mode in a way lifeboat cannot follow (NO_BACKSLASH_ESCAPES changes how strings end)"
	}
	if reason == "" {
		return nil
	}
	return &Refusal{Line: st.Line, Reason: reason, Excerpt: gateExcerpt(st.SQL)}
}

func (g *Gate) reason(st *Statement) string {
	switch st.Kind {
	case Insert:
		if !st.Literal {
			return "an INSERT that is not a dump's plain rows (only literal VALUES are allowed)"
		}
		return g.dataName(st.Database)
	case Lock, Unlock:
		return "" // the executor does not run table locks
	case Use:
		return g.noteSource(st.Database)
	case CreateDatabase:
		if r := g.noteSource(st.Database); r != "" {
			return r
		}
		return g.body(st.SQL, false)
	case Set:
		return g.set(st.SQL)
	case Update:
		return g.update(st)
	case Select:
		return g.setval(st.SQL)
	case Drop:
		return g.drop(st.SQL)
	case Alter:
		return g.alter(st)
	case CreateTable, CreateView, CreateRoutine, CreateIndex, CreateSequence:
		return g.create(st)
	}
	return g.other(st.SQL)
}

// noteSource follows the file's one database.
func (g *Gate) noteSource(db string) string {
	switch {
	case db == "":
		return "names no database"
	case SystemSchema(db):
		return fmt.Sprintf("names the system schema %q: lifeboat never restores into it", db)
	case g.source == "":
		g.source = db
	case g.source != db:
		return fmt.Sprintf("the file holds more than one database (%q and %q); lifeboat restores one database at a time", g.source, db)
	}
	return ""
}

// dataName checks the qualifier of a table that rows go into: the restore
// sends rows as they are written, so only the target itself may be named.
func (g *Gate) dataName(db string) string {
	if db == "" || db == g.target() {
		return ""
	}
	if db == g.source {
		return fmt.Sprintf("writes rows into %q by name; lifeboat restores into %q and cannot move them", db, g.target())
	}
	return fmt.Sprintf("names database %q outside the target %q", db, g.target())
}

// target is the database names must resolve to.
func (g *Gate) target() string {
	if g.opts.Target != "" {
		return g.opts.Target
	}
	return g.source
}

// qualifier checks the database part of a name in a definition. The
// restore rewrites `source`. to the target, so the source is allowed when
// quoted with backticks; strict is for places where a.b can only be
// database.object (not table.column).
func (g *Gate) qualifier(db string, quoted, strict bool) string {
	switch {
	case db == g.opts.Target && db != "":
		return ""
	case db == g.source && db != "":
		if quoted || g.source == g.target() {
			return ""
		}
		return fmt.Sprintf("names database %s unquoted; lifeboat cannot move it into %q", db, g.target())
	case SystemSchema(db):
		return fmt.Sprintf("names the system schema %q", db)
	case g.allowed[db] && db != g.source:
		return "" // another database of the plan, kept as written
	case g.others[db] || strict:
		return fmt.Sprintf("names database %q outside the target %q", db, g.target())
	}
	return ""
}

// gateExcerpt is the statement's start on one line, control bytes shown.
func gateExcerpt(sql []byte) string {
	s := strings.Join(strings.Fields(string(sql[:min(len(sql), 80)])), " ")
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, s)
	if len(sql) > 80 {
		s += " …"
	}
	return s
}
