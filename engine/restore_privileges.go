package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// restorePrivileges are what replacing a database needs.
var restorePrivileges = []string{"CREATE", "DROP", "INSERT", "ALTER", "INDEX", "CREATE VIEW", "CREATE ROUTINE", "TRIGGER", "EVENT"}

// checkRestorePrivileges refuses a restore the account cannot finish,
// before anything changes. Privileges are read from information_schema:
// global ones and those on schema patterns that match target. With an
// active role the check is left to the server (roles are not listed there
// per user).
func (e *Engine) checkRestorePrivileges(ctx context.Context, target string) error {
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	g, err := e.readGrants(ctx, srv, target)
	if err != nil {
		return err
	}
	if g.role != "" {
		return nil
	}
	if missing := g.missing(restorePrivileges); len(missing) > 0 {
		return fmt.Errorf("account %s lacks %s on database %q; grant them with: GRANT %s ON %s.* TO %s",
			g.account, strings.Join(missing, ", "), target, strings.Join(missing, ", "), quoteIdent(target), g.grantee)
	}
	return nil
}

// grants are the privileges CURRENT_USER() holds on one database: global
// ones and those on schema patterns that match it (table-level grants are
// not counted).
type grants struct {
	account string // CURRENT_USER(): user@host
	grantee string // 'user'@'host'
	role    string // CURRENT_ROLE(), when one is active
	have    map[string]bool
}

func (e *Engine) readGrants(ctx context.Context, srv *sql.DB, database string) (grants, error) {
	var g grants
	var role *string
	if err := srv.QueryRowContext(ctx, "SELECT CURRENT_USER(), CURRENT_ROLE()").Scan(&g.account, &role); err != nil {
		return g, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	if role != nil {
		g.role = *role
	}
	user, host, _ := strings.Cut(g.account, "@")
	g.grantee = "'" + user + "'@'" + host + "'"
	privs, err := queryStrings(ctx, srv, `SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
		UNION SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND ? LIKE TABLE_SCHEMA`, g.grantee, g.grantee, database)
	if err != nil {
		return g, fmt.Errorf("read privileges of %s: %w", g.account, err)
	}
	g.have = map[string]bool{}
	for _, p := range privs {
		g.have[p] = true
	}
	return g, nil
}

// missing lists the privileges of need that g lacks, in need's order.
func (g grants) missing(need []string) []string {
	var out []string
	for _, p := range need {
		if !g.have[p] {
			out = append(out, p)
		}
	}
	return out
}

// definerProblem refuses a file whose views, routines, triggers or events
// name a definer the account may not set: anyone but itself needs SET USER
// (or SUPER), and without it the restore would stop half-way.
func (e *Engine) definerProblem(ctx context.Context, name, target string, rep sqlsplit.Report) error {
	if len(rep.Definers) == 0 {
		return nil
	}
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	g, err := e.readGrants(ctx, srv, target)
	if err != nil {
		return err
	}
	if g.role != "" || g.have["SUPER"] || g.have["SET USER"] {
		return nil // a role's grants are left to the server
	}
	for _, d := range rep.Definers {
		if d == g.grantee {
			continue
		}
		return fmt.Errorf("%s: line %s sets DEFINER %s (%d definer(s) in the file), but account %s may only name itself: another definer needs SET USER or SUPER, and the restore would stop half-way; run again with --strip-definers to create these objects with %s as definer, or grant it with: GRANT SET USER ON *.* TO %s",
			name, humanize.Comma(int64(rep.DefinerLines[d])), d, len(rep.Definers), g.account, g.account, g.grantee)
	}
	return nil
}

// binlogProblem refuses a file with triggers or stored functions when the
// server writes a binary log, does not set log_bin_trust_function_creators
// and the account lacks SUPER: the server would refuse the first of them
// (error 1419) with the database half-restored.
func (e *Engine) binlogProblem(ctx context.Context, name, target string, rep sqlsplit.Report) error {
	if rep.TrustedCreators == 0 {
		return nil
	}
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	var logBin, trust int
	if err := srv.QueryRowContext(ctx, "SELECT @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators").Scan(&logBin, &trust); err != nil {
		return fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	if logBin == 0 || trust == 1 {
		return nil
	}
	g, err := e.readGrants(ctx, srv, target)
	if err != nil {
		return err
	}
	if g.role != "" || g.have["SUPER"] {
		return nil
	}
	return fmt.Errorf("%s: line %s creates a trigger or stored function (%d in the file); the server writes a binary log, so account %s needs SUPER for them, and the restore would stop half-way; set log_bin_trust_function_creators = 1 on the server (SET GLOBAL, and in its config), or restore with an account that has SUPER",
		name, humanize.Comma(int64(rep.TrustedLine)), rep.TrustedCreators, g.account)
}
