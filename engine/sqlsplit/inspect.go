package sqlsplit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
)

// InspectOptions tune Inspect.
type InspectOptions struct {
	Gate GateOptions
	// CompletionPrefix starts the line a whole dump ends with
	// ("-- Dump completed").
	CompletionPrefix string
	// OnStatement, when set, sees every statement (for progress).
	OnStatement func(st *Statement)
	// KeepGoing reads on after a refusal (verify reports the whole file);
	// restore stops at the first.
	KeepGoing bool
	// Pick, when set, reads only the selected parts of a dump of several
	// databases, each through a gate of its own (pick.go).
	Pick *Pick
}

// Report is what one pass over a dump found: what restore decides on
// before anything changes, and what verify shows.
type Report struct {
	Databases  []string         // databases the file creates or uses, in order
	Kinds      map[string]int64 // statements per kind ("insert", "create table", ...)
	Statements int64
	Rows       int64
	Largest    Largest
	// Definers of views, routines, triggers and events other than
	// CURRENT_USER, as 'user'@'host', sorted; DefinerLines has the first
	// line of each.
	Definers     []string
	DefinerLines map[string]int
	// TrustedCreators counts triggers and stored functions: with the
	// binary log on, creating them needs SUPER unless the server sets
	// log_bin_trust_function_creators. TrustedLine is the first one's line.
	TrustedCreators int
	TrustedLine     int
	Completed       bool     // the completion line follows the last statement
	Refusal         *Refusal // the first statement the gate refused; the pass stops there
}

// Largest is the biggest statement of the file.
type Largest struct {
	Bytes int
	Line  int
	Table string
}

// Inspect reads a decompressed dump to its end (or its first refused
// statement) and reports it. An error means the stream could not be read
// or split (damaged, truncated, cancelled).
func Inspect(ctx context.Context, r io.Reader, opts InspectOptions) (Report, error) {
	w := NewWatcher(opts.CompletionPrefix)
	g := NewGate(opts.Gate)
	sp := New(r)
	sp.OnComment = w.Comment
	next := sp.Next
	if opts.Pick != nil {
		p := NewPicker(sp, *opts.Pick)
		p.Enter = func(_, target string) error {
			g = NewGate(GateOptions{Target: target, Others: opts.Gate.Others, Allowed: opts.Pick.Allowed})
			return nil
		}
		next = p.Next
	}
	for {
		if err := ctx.Err(); err != nil {
			return w.rep, err
		}
		st, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return w.rep, err
		}
		w.Statement(st)
		if opts.OnStatement != nil {
			opts.OnStatement(st)
		}
		if w.rep.Refusal != nil {
			continue
		}
		if err := g.Check(st); err != nil {
			if w.rep.Refusal = err.(*Refusal); !opts.KeepGoing {
				return w.rep, nil
			}
		}
	}
	return w.Report(), nil
}

// Watcher builds a Report from the statements and comments another reader
// splits: Inspect's bookkeeping, for the swap restore, which checks a
// signed file in the same pass that loads it into a copy. It leaves
// Refusal to the caller's gate.
type Watcher struct {
	rep    Report
	prefix string
	last   []byte // the last comment line since the last statement
}

// NewWatcher starts an empty report; completionPrefix is Inspect's.
func NewWatcher(completionPrefix string) *Watcher {
	return &Watcher{rep: Report{Kinds: map[string]int64{}, DefinerLines: map[string]int{}}, prefix: completionPrefix}
}

// Statement notes one statement (Splitter order).
func (w *Watcher) Statement(st *Statement) {
	w.last = w.last[:0] // the completion line must come after the last statement
	w.rep.note(st)
}

// Comment notes a comment line (a Splitter's OnComment).
func (w *Watcher) Comment(_ int, text []byte) { w.last = append(w.last[:0], text...) }

// Report is what was seen so far; Completed says whether the completion
// line follows the last statement.
func (w *Watcher) Report() Report {
	rep := w.rep
	if w.prefix != "" {
		rep.Completed = bytes.HasPrefix(w.last, []byte(w.prefix))
	}
	rep.Definers = slices.Clone(rep.Definers)
	sort.Strings(rep.Definers)
	return rep
}

func (rep *Report) note(st *Statement) {
	rep.Statements++
	rep.Kinds[st.Kind.String()]++
	rep.Rows += int64(st.Rows)
	if len(st.SQL) > rep.Largest.Bytes {
		rep.Largest = Largest{Bytes: len(st.SQL), Line: st.Line, Table: st.Table}
	}
	switch st.Kind {
	case Use, CreateDatabase:
		if st.Database != "" && (len(rep.Databases) == 0 || !contains(rep.Databases, st.Database)) {
			rep.Databases = append(rep.Databases, st.Database)
		}
	case CreateView, CreateRoutine:
		if st.Kind == CreateRoutine && createsTriggerOrFunction(st.SQL) {
			if rep.TrustedCreators++; rep.TrustedLine == 0 {
				rep.TrustedLine = st.Line
			}
		}
		if user, host, _, _, ok := Definer(st.SQL); ok && user != "CURRENT_USER" {
			d := fmt.Sprintf("'%s'@'%s'", user, host)
			if _, seen := rep.DefinerLines[d]; !seen {
				rep.DefinerLines[d] = st.Line
				rep.Definers = append(rep.Definers, d)
			}
		}
	}
}

// createsTriggerOrFunction reads the object word of a CREATE statement.
func createsTriggerOrFunction(sql []byte) bool {
	lx := lexer{b: sql}
	for n := 0; n < 40; n++ {
		k, t := lx.next()
		if k == tEOF {
			return false
		}
		if k != tWord {
			continue
		}
		switch upper(t) {
		case "DEFINER":
			lx.skipDefiner()
		case "TRIGGER", "FUNCTION":
			return true
		case "PROCEDURE", "EVENT", "PACKAGE":
			return false
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Database is the file's one database, "" when it names none.
func (rep Report) Database() string {
	if len(rep.Databases) == 1 {
		return rep.Databases[0]
	}
	return ""
}
