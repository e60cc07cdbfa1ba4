package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// Restoring the accounts of a whole-server file (--accounts). The file is
// untrusted input, so every account statement is read and checked before
// anything changes, and runs only when it creates an account the file
// itself creates, or grants on a database this restore restores (renamed
// with --into). An account already on the server is reported and left as
// it is: its grants do not run either. Global privileges (GRANT ... ON
// *.*) run for the accounts the file creates, from a foreign file too;
// the plan names each account's (globalGrants). No authentication string
// is ever shown: plans and results name accounts and privileges only.

// accountStmt is one checked account statement of the file.
type accountStmt struct {
	sqlsplit.AccountStmt
	sql         string
	line        int
	fileCreates bool // the file creates the statement's account (set by restoreAccounts)
}

// readAccounts reads the file's account statements; one it cannot read is
// an error before anything changes.
func (e *Engine) readAccounts(ctx context.Context, name, path string, stream catalog.Stream) ([]accountStmt, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := stream.Reader(f)
	if err != nil {
		return nil, fmt.Errorf("%s is damaged: %w", name, err)
	}
	defer zr.Close()
	var out []accountStmt
	sp := sqlsplit.New(zr)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st, err := sp.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s is damaged or truncated: %w", name, err)
		}
		if !sqlsplit.AccountStatement(st.SQL) || sqlsplit.ImportRoleStatement(st.SQL) || sqlsplit.MySQLOnly(st.SQL) {
			continue // not an account statement, or mariadb-dump's session steps around them, or MySQL's alone
		}
		a, err := sqlsplit.ParseAccount(st.SQL)
		if err != nil {
			return nil, fmt.Errorf("%s: line %d: %v: an accounts restore runs only CREATE USER/ROLE, GRANT and SET DEFAULT ROLE of the file's own accounts", name, st.Line, err)
		}
		out = append(out, accountStmt{AccountStmt: a, sql: string(st.SQL), line: st.Line})
	}
}

// fileAccounts are the accounts the statements create, in order.
func fileAccounts(stmts []accountStmt) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range stmts {
		if (s.Kind == sqlsplit.CreateUser || s.Kind == sqlsplit.CreateRole) && !seen[s.Account] {
			seen[s.Account] = true
			out = append(out, s.Account)
		}
	}
	return out
}

// serverAccounts are the accounts on the server now, as AccountName names them.
func (e *Engine) serverAccounts(ctx context.Context) (map[string]bool, error) {
	srv, err := e.serverDB()
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	rows, err := srv.QueryContext(ctx, "SELECT User, Host, is_role FROM mysql.user")
	if err != nil {
		return nil, fmt.Errorf("server %s: read the accounts (the restoring account needs SELECT on mysql.user for --accounts): %w", e.ServerLabel(), err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var u, h, role string
		if err := rows.Scan(&u, &h, &role); err != nil {
			return nil, err
		}
		out[sqlsplit.AccountName(u, h, role == "Y")] = true
	}
	return out, rows.Err()
}

// planAccounts says which of the file's accounts exist already.
func planAccounts(stmts []accountStmt, existing map[string]bool) []AccountPlan {
	var out []AccountPlan
	for _, a := range fileAccounts(stmts) {
		p := AccountPlan{Name: a, Exists: existing[a]}
		if !p.Exists {
			p.Global = globalGrants(stmts, a)
		}
		out = append(out, p)
	}
	return out
}

// accountDecision says whether a statement runs (with its SQL, renamed
// for --into) or why it is skipped.
func accountDecision(s accountStmt, created map[string]bool, existing map[string]bool, pick *sqlsplit.Pick) (string, string) {
	switch {
	case !created[s.Account] && !existing[s.Account]:
		return "", fmt.Sprintf("line %d: a statement for %s, an account the file does not create", s.line, s.Account)
	case !created[s.Account] && !s.fileCreates:
		return "", fmt.Sprintf("line %d: a statement for %s, an account of this server the file does not create (left as it is)", s.line, s.Account)
	case existing[s.Account]:
		return "", "" // the file creates it, but it is here: reported once as existing
	}
	switch s.Kind {
	case sqlsplit.CreateRole: // as lifeboat writes it: mariadb-dump's WITH ADMIN names its own import role
		return "CREATE ROLE IF NOT EXISTS " + quoteIdent(s.User), ""
	case sqlsplit.GrantProxy:
		return "", fmt.Sprintf("the PROXY privilege of %s (not restored: grant it by hand if it is needed)", s.Account)
	case sqlsplit.GrantOn:
		if s.Database == "*" { // the plan named them (globalGrants)
			return s.sql, ""
		}
		target, ok := pick.Targets[s.Database]
		if !ok {
			return "", fmt.Sprintf("%s on %q, a database this restore does not restore", s.Account, s.Database)
		}
		if target != s.Database {
			return s.sql[:s.DBStart] + quoteIdent(target) + s.sql[s.DBEnd:], ""
		}
	case sqlsplit.GrantRole, sqlsplit.DefaultRole:
		if s.Role != "" && !created[s.Role] && !existing[s.Role] {
			return "", fmt.Sprintf("role %s of %s: the file does not create it", s.Role, s.Account)
		}
	}
	return s.sql, ""
}

// restoreAccounts runs the checked statements: creates the accounts that
// are not there, with their grants.
func (e *Engine) restoreAccounts(ctx context.Context, stmts []accountStmt, pick *sqlsplit.Pick, res *PartsResult) error {
	existing, err := e.serverAccounts(ctx)
	if err != nil {
		return err
	}
	created, inFile := map[string]bool{}, map[string]bool{}
	for _, a := range fileAccounts(stmts) {
		inFile[a] = true
		if existing[a] {
			res.Existing = append(res.Existing, a)
		} else {
			created[a] = true
		}
	}
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	for _, s := range stmts {
		s.fileCreates = inFile[s.Account]
		q, skip := accountDecision(s, created, existing, pick)
		if skip != "" {
			res.SkippedGrants = append(res.SkippedGrants, skip)
		}
		if q == "" {
			continue
		}
		if _, err := srv.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("account %s (line %d): %w; the databases are restored; fix the cause and run the restore again with --accounts (accounts already created are then reported as existing)", s.Account, s.line, err)
		}
		if s.Kind == sqlsplit.CreateUser || s.Kind == sqlsplit.CreateRole {
			res.Created = append(res.Created, s.Account)
		}
	}
	return nil
}

// globalGrants are the server-wide privileges the file grants account
// (GRANT ... ON *.* other than USAGE), as a plan names them: the privilege
// list and WITH GRANT OPTION, never the rest of the statement.
func globalGrants(stmts []accountStmt, account string) []string {
	var out []string
	for _, s := range stmts {
		if s.Account != account || s.Kind != sqlsplit.GrantOn || s.Database != "*" || s.Usage {
			continue
		}
		g := s.Privileges + " ON *.*"
		if grantOption.MatchString(s.sql) {
			g += " WITH GRANT OPTION"
		}
		out = append(out, g)
	}
	return out
}

var grantOption = regexp.MustCompile(`(?i)\bWITH\s+GRANT\s+OPTION\b`)
