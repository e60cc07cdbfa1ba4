package dump

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The accounts of a whole-server backup, written after every database
// (their grants name tables and routines that must exist by then), the way
// mariadb-dump --system=users writes them: roles, then users with their
// authentication (CREATE USER IF NOT EXISTS ... IDENTIFIED BY PASSWORD or
// VIA), then each account's SHOW GRANTS rows, which carry role grants and
// SET DEFAULT ROLE too. The auth strings are in the file only: Result
// names the accounts, never their secrets.

// account is one user ('user'@'host') or role (host "", role true).
type account struct {
	user, host string
	role       bool
}

// Name is how plans, logs and manifests show the account.
func (a account) Name() string { return sqlsplit.AccountName(a.user, a.host, a.role) }

// sqlName is the account as SQL names it.
func (a account) sqlName() string {
	if a.role {
		return qi(a.user)
	}
	return qi(a.user) + "@" + qi(a.host)
}

// privilegeTables are where the server keeps privileges on a database.
var privilegeTables = []string{"mysql.db", "mysql.tables_priv", "mysql.columns_priv", "mysql.procs_priv"}

// accountsDDL writes the selected accounts and adds their names to res.
func accountsDDL(ctx context.Context, c *sql.Conn, opts Options, res *Result) (string, error) {
	list, err := selectAccounts(ctx, c, opts.all(), res.Databases)
	if err != nil {
		return "", fmt.Errorf("accounts: %w (the backup account needs SELECT on the mysql schema for database.accounts)", err)
	}
	var b strings.Builder
	b.WriteString("\n--\n-- Accounts with privileges on the databases above (as mariadb-dump --system=users)\n--\n\n")
	for _, a := range list {
		if a.role {
			b.WriteString("/*M!100005 CREATE ROLE IF NOT EXISTS " + a.sqlName() + " */;\n")
		}
	}
	kept := list[:0]
	for _, a := range list {
		if a.role {
			kept = append(kept, a)
			continue
		}
		m, err := showCreate(ctx, c, "SHOW CREATE USER "+a.sqlName())
		var me *mysql.MySQLError
		if errors.As(err, &me) && me.Number == 1133 {
			// In mysql.user but not loaded (a host name under
			// skip-name-resolve): the server does not use it either.
			res.Notes = append(res.Notes, fmt.Sprintf("account %s was left out: the server does not load it (%v)", a.Name(), me))
			continue
		}
		if err != nil {
			return "", fmt.Errorf("account %s: %w", a.Name(), err)
		}
		kept = append(kept, a)
		var create string
		for _, v := range m {
			create = v
		}
		create, ok := strings.CutPrefix(create, "CREATE USER ")
		if !ok {
			return "", fmt.Errorf("account %s: SHOW CREATE USER returned no CREATE USER statement", a.Name())
		}
		b.WriteString("CREATE USER IF NOT EXISTS " + create + ";\n")
	}
	for _, a := range kept { // roles' grants first: users' grants name them
		grants, err := names(ctx, c, "SHOW GRANTS FOR "+a.sqlName())
		if err != nil {
			return "", fmt.Errorf("grants of %s: %w", a.Name(), err)
		}
		for _, g := range grants {
			b.WriteString(g + ";\n")
		}
		res.Accounts = append(res.Accounts, a.Name())
	}
	return b.String(), nil
}

// selectAccounts lists the accounts to write: all but the server's own
// (mariadb.sys) with ["*"], else those with a privilege on one of dbs,
// the roles they hold, and the users holding those roles. Roles first.
func selectAccounts(ctx context.Context, c *sql.Conn, all bool, dbs []string) ([]account, error) {
	every, err := allAccounts(ctx, c)
	if err != nil {
		return nil, err
	}
	chosen := map[account]bool{}
	byName := map[string]account{}
	for _, a := range every {
		byName[a.user+"@"+a.host] = a
		if all {
			chosen[a] = true
		}
	}
	if !all {
		for _, table := range privilegeTables {
			for _, db := range dbs {
				rows, err := pairs(ctx, c, "SELECT User, Host FROM "+table+" WHERE ? LIKE Db", db)
				if err != nil {
					return nil, err
				}
				for _, p := range rows {
					if a, ok := byName[p[0]+"@"+p[1]]; ok {
						chosen[a] = true
					}
				}
			}
		}
		edges, err := pairsRoles(ctx, c)
		if err != nil {
			return nil, err
		}
		for changed := true; changed; { // the roles they hold, and who holds a chosen role
			changed = false
			for _, e := range edges {
				holder, ok1 := byName[e[0]+"@"+e[1]]
				role, ok2 := byName[e[2]+"@"]
				if !ok1 || !ok2 {
					continue
				}
				if chosen[holder] != chosen[role] && !isServerAccount(holder) {
					chosen[holder], chosen[role], changed = true, true, true
				}
			}
		}
	}
	var out []account
	for a := range chosen {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].role != out[j].role {
			return out[i].role
		}
		return out[i].Name() < out[j].Name()
	})
	return out, nil
}

// isServerAccount is an account every server has: never chosen through a
// role it holds (root holds every role it created).
func isServerAccount(a account) bool {
	return !a.role && (a.user == "root" || a.user == "mysql" || a.user == "mariadb.sys")
}

func allAccounts(ctx context.Context, c *sql.Conn) ([]account, error) {
	rows, err := c.QueryContext(ctx, "SELECT User, Host, is_role FROM mysql.user ORDER BY User, Host")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []account
	for rows.Next() {
		var a account
		var role string
		if err := rows.Scan(&a.user, &a.host, &role); err != nil {
			return nil, err
		}
		a.role = role == "Y"
		if a.user == "mariadb.sys" || (a.user == "" && !a.role) {
			continue // the server's own definer account; anonymous users are not applications
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// pairsRoles are the role grants: holder user, holder host, role.
func pairsRoles(ctx context.Context, c *sql.Conn) ([][]string, error) {
	return tuples(ctx, c, 3, "SELECT User, Host, Role FROM mysql.roles_mapping")
}

func pairs(ctx context.Context, c *sql.Conn, q string, args ...any) ([][]string, error) {
	return tuples(ctx, c, 2, q, args...)
}

func tuples(ctx context.Context, c *sql.Conn, n int, q string, args ...any) ([][]string, error) {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals := make([]string, n)
		ptrs := make([]any, n)
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}
