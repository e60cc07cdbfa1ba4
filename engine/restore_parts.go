package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The parts of a whole-server file (several databases, maybe accounts):
// what it holds, which parts a restore reads, and what their definitions
// name outside themselves.

// fileContents is what a backup holds: its databases in file order and
// whether it has accounts. A trusted manifest says so; any other file is
// read once (checked later, in the pre-pass, before anything changes).
func (e *Engine) fileContents(ctx context.Context, name, path string) (sqlsplit.Contents, error) {
	if m, err := e.restoreManifest(name); err == nil {
		return sqlsplit.Contents{Databases: m.Databases, Accounts: int64(len(m.Accounts))}, nil
	}
	stream, err := e.streamFor(name, nil)
	if err != nil {
		return sqlsplit.Contents{}, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return sqlsplit.Contents{}, err
	}
	defer f.Close()
	zr, err := stream.Reader(f)
	if err != nil {
		return sqlsplit.Contents{}, fmt.Errorf("%s is damaged: %w", name, err)
	}
	defer zr.Close()
	c, err := sqlsplit.ReadContents(ctx, zr)
	if err != nil {
		return c, fmt.Errorf("%s is damaged or truncated: %w", name, err)
	}
	return c, nil
}

// wholeServer reports a restore that goes part by part: the file holds
// more than one database, or the user picked one (--database) or asked
// for the accounts.
func wholeServer(c sqlsplit.Contents, opts RestoreOptions) bool {
	return len(c.Databases) > 1 || opts.Database != "" || opts.Accounts
}

// selection is the parts a restore reads and the system schemas of the
// file it leaves alone (a mariadb-dump --all-databases file has mysql).
func selection(name string, c sqlsplit.Contents, opts RestoreOptions) (*sqlsplit.Pick, []string, error) {
	pick := &sqlsplit.Pick{Targets: map[string]string{}}
	var skipped []string
	for _, db := range c.Databases {
		if sqlsplit.SystemSchema(db) {
			skipped = append(skipped, db)
			continue
		}
		if msg := config.DatabaseNameProblem(db); msg != "" {
			return nil, nil, fmt.Errorf("%s names database %q, which %s: lifeboat does not restore it", name, db, msg)
		}
		pick.Allowed = append(pick.Allowed, db)
	}
	if opts.Into != "" {
		if msg := config.DatabaseNameProblem(opts.Into); msg != "" {
			return nil, nil, fmt.Errorf("--into %q %s", opts.Into, msg)
		}
	}
	if opts.Database != "" {
		if !slices.Contains(pick.Allowed, opts.Database) {
			return nil, nil, fmt.Errorf("%s holds no database %q: it holds %s; pick one of them with --database", name, opts.Database, listOr(pick.Allowed))
		}
		target := opts.Database
		if opts.Into != "" {
			target = opts.Into
		}
		pick.Targets[opts.Database] = target
		return pick, skipped, nil
	}
	if opts.Into != "" && len(pick.Allowed) > 1 {
		return nil, nil, fmt.Errorf("%s holds %d databases (%s): --into renames one of them; add --database DB", name, len(pick.Allowed), listOr(pick.Allowed))
	}
	for _, db := range pick.Allowed {
		pick.Targets[db] = db
		if opts.Into != "" {
			pick.Targets[db] = opts.Into
		}
	}
	if len(pick.Targets) == 0 && !opts.Accounts {
		return nil, nil, fmt.Errorf("%s holds no application database (only %s): nothing to restore", name, listOr(skipped))
	}
	return pick, skipped, nil
}

// sources are the selected databases of the file, in file order.
func sources(pick *sqlsplit.Pick) []string {
	var out []string
	for _, db := range pick.Allowed {
		if _, ok := pick.Targets[db]; ok {
			out = append(out, db)
		}
	}
	return out
}

func listOr(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// partsPass carries a pick into the pre-pass and the load (inspectBackup
// and load read it from the context, so the single-database path stays
// as it is), and collects what each part's definitions name elsewhere.
type partsPass struct {
	pick *sqlsplit.Pick
	cur  string
	refs map[string]map[string]bool // source database -> other databases its definitions name
	// tableRefs are those named by its CREATE TABLEs (foreign keys): a
	// swap would leave them on the tables it moves away.
	tableRefs map[string]map[string]bool
}

type partsKey struct{}

func withParts(ctx context.Context, p *partsPass) context.Context {
	return context.WithValue(ctx, partsKey{}, p)
}

func partsOf(ctx context.Context) *partsPass {
	p, _ := ctx.Value(partsKey{}).(*partsPass)
	return p
}

// pickOf is the pick of a parts pass, nil for a single-database restore.
func pickOf(ctx context.Context) *sqlsplit.Pick {
	if p := partsOf(ctx); p != nil {
		return p.pick
	}
	return nil
}

// note follows the part a statement belongs to and the other databases
// of the file its definition names (kept as written, named in the plan).
func (p *partsPass) note(st *sqlsplit.Statement) {
	if db := sqlsplit.PartDatabase(st); db != "" {
		p.cur = db
		return
	}
	switch st.Kind {
	case sqlsplit.CreateView, sqlsplit.CreateRoutine, sqlsplit.CreateTable:
	default:
		return
	}
	for _, db := range p.pick.Allowed {
		if db != p.cur && namesDatabase(st.SQL, db) {
			if p.refs[p.cur] == nil {
				p.refs[p.cur] = map[string]bool{}
			}
			p.refs[p.cur][db] = true
			if st.Kind == sqlsplit.CreateTable {
				if p.tableRefs == nil {
					p.tableRefs = map[string]map[string]bool{}
				}
				if p.tableRefs[p.cur] == nil {
					p.tableRefs[p.cur] = map[string]bool{}
				}
				p.tableRefs[p.cur][db] = true
			}
		}
	}
}

// references are the other databases source's definitions name, sorted.
func (p *partsPass) references(source string) []string {
	var out []string
	for db := range p.refs[source] {
		out = append(out, db)
	}
	sort.Strings(out)
	return out
}

// onStatement is the parts pass's hook for sqlsplit.InspectOptions.
func onStatement(ctx context.Context) func(*sqlsplit.Statement) {
	if p := partsOf(ctx); p != nil {
		return p.note
	}
	return nil
}

// serverDatabases lists every database on the server: the gate of each
// part refuses names qualified with one that is not its own or the plan's.
func (e *Engine) serverDatabases(ctx context.Context) ([]string, error) {
	return e.otherDatabases(ctx, "")
}

// namesDatabase reports whether sql qualifies a name with db: `db`. or a
// bare db. (not part of a longer name). It may see a string's contents
// too; the plan then names one database too many, never one too few.
func namesDatabase(sql []byte, db string) bool {
	if bytes.Contains(sql, []byte(quoteIdent(db)+".")) {
		return true
	}
	bare := []byte(db + ".")
	for i := 0; ; {
		j := bytes.Index(sql[i:], bare)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || !wordByte(sql[at-1]) {
			return true
		}
		i = at + 1
	}
}

func wordByte(c byte) bool {
	return c == '_' || c == '$' || c == '.' || c == '`' || c >= 0x80 || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
