package engine

import (
	"context"
	"fmt"
	"strings"
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
	var cur string
	var role *string
	if err := srv.QueryRowContext(ctx, "SELECT CURRENT_USER(), CURRENT_ROLE()").Scan(&cur, &role); err != nil {
		return fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	if role != nil {
		return nil
	}
	user, host, _ := strings.Cut(cur, "@")
	grantee := "'" + user + "'@'" + host + "'"
	rows, err := srv.QueryContext(ctx, `SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
		UNION SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND ? LIKE TABLE_SCHEMA`, grantee, grantee, target)
	if err != nil {
		return fmt.Errorf("read privileges of %s: %w", cur, err)
	}
	defer rows.Close()
	have := map[string]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		have[p] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var missing []string
	for _, p := range restorePrivileges {
		if !have[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("account %s lacks %s on database %q; grant them with: GRANT %s ON %s.* TO %s",
			cur, strings.Join(missing, ", "), target, strings.Join(missing, ", "), quoteIdent(target), grantee)
	}
	return nil
}
