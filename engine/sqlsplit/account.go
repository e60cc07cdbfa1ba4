package sqlsplit

import (
	"fmt"
	"strings"
)

// Account statements of a whole-server dump, read so the engine can check
// each before it runs: which account it creates or changes, and which
// database a grant is on. Anything else among them is refused.

// AccountKind is what an account statement does.
type AccountKind int

const (
	CreateUser  AccountKind = iota + 1 // CREATE USER
	CreateRole                         // CREATE ROLE
	GrantOn                            // GRANT privileges ON object TO account
	GrantRole                          // GRANT role TO account
	GrantProxy                         // GRANT PROXY ON account TO account
	DefaultRole                        // SET DEFAULT ROLE r FOR account
)

// AccountStatement is one parsed account statement.
type AccountStmt struct {
	Kind    AccountKind
	Account string // 'user'@'host', or 'role' (see AccountName)
	User    string // the account's user (or role) name as is
	// Role is the role granted (GrantRole) or made default (DefaultRole;
	// "" for NONE), as AccountName writes a role.
	Role string
	// Database is the database of a GrantOn's object ("*" for *.*);
	// DBStart and DBEnd are its token's bytes in the SQL, for --into.
	Database       string
	DBStart, DBEnd int
	// Usage: a GrantOn of USAGE alone (it only carries the account's
	// authentication and limits).
	Usage bool
	// Privileges is a GrantOn's privilege list as written (spaces
	// collapsed), e.g. "RELOAD, PROCESS": what a plan names, never the
	// rest of the statement (which may carry an authentication string).
	Privileges string
}

// AccountName is how plans, logs and manifests name an account: 'user'@'host',
// or 'role' for a role. Never with its authentication.
func AccountName(user, host string, role bool) string {
	q := func(s string) string { return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'" }
	if role {
		return q(user)
	}
	return q(user) + "@" + q(host)
}

// ParseAccount reads an account statement (see AccountStatement).
func ParseAccount(sql []byte) (AccountStmt, error) {
	lx := lexer{b: sql}
	var st AccountStmt
	switch lx.kw() {
	case "CREATE":
		save := lx.i
		if lx.kw() == "OR" {
			lx.kw() // REPLACE
		} else {
			lx.i = save
		}
		switch lx.kw() {
		case "USER":
			st.Kind = CreateUser
		case "ROLE":
			st.Kind = CreateRole
		default:
			return st, fmt.Errorf("not an account statement lifeboat restores")
		}
		lx.ifExists()
		name, host, hasHost := lx.account()
		if name == "" {
			return st, fmt.Errorf("names no account")
		}
		if st.Kind == CreateUser && !hasHost {
			host, hasHost = "%", true
		}
		st.Account, st.User = AccountName(name, host, !hasHost), name
		return st, nil
	case "GRANT":
		return parseGrant(&lx)
	case "SET":
		if lx.kw() != "DEFAULT" || lx.kw() != "ROLE" {
			return st, fmt.Errorf("not an account statement lifeboat restores")
		}
		st.Kind = DefaultRole
		k, t := lx.next()
		if k == tWord && upper(t) == "NONE" {
			st.Role = ""
		} else if k == tWord || k == tQuoted || k == tString {
			st.Role = AccountName(string(t), "", true)
		}
		if lx.kw() != "FOR" {
			return st, fmt.Errorf("SET DEFAULT ROLE without FOR: it would change the restoring account")
		}
		return st, st.setAccount(&lx)
	}
	return st, fmt.Errorf("not an account statement lifeboat restores (only CREATE USER/ROLE, GRANT and SET DEFAULT ROLE)")
}

func parseGrant(lx *lexer) (AccountStmt, error) {
	var st AccountStmt
	depth, privs := 0, 0
	onlyUsage := true
	start := lx.i
	for {
		k, t := lx.next()
		switch {
		case k == tEOF:
			// no ON: GRANT role TO account
			lx.i = start
			role, _, _ := lx.account()
			if role == "" || lx.kw() != "TO" {
				return st, fmt.Errorf("a GRANT lifeboat cannot read")
			}
			st.Kind, st.Role = GrantRole, AccountName(role, "", true)
			return st, st.setAccount(lx)
		case k == tPunct && t[0] == '(':
			depth++
		case k == tPunct && t[0] == ')':
			depth--
		case k == tWord && depth == 0 && upper(t) == "ON":
			if privs == 1 && string(lx.b[start:lx.last]) != "" && upper(bytesTrim(lx.b[start:lx.last])) == "PROXY" {
				st.Kind = GrantProxy
				lx.account() // the proxied account
				if lx.kw() != "TO" {
					return st, fmt.Errorf("a GRANT PROXY lifeboat cannot read")
				}
				return st, st.setAccount(lx)
			}
			goto on
		case k == tWord && depth == 0:
			privs++
			if upper(t) != "USAGE" {
				onlyUsage = false
			}
		}
	}
on:
	st.Kind, st.Usage = GrantOn, onlyUsage && privs == 1
	st.Privileges = strings.Join(strings.Fields(string(lx.b[start:lx.last])), " ")
	save := lx.i
	switch lx.kw() {
	case "TABLE", "FUNCTION", "PROCEDURE":
	case "PACKAGE":
		save2 := lx.i
		if lx.kw() != "BODY" {
			lx.i = save2
		}
	default:
		lx.i = save
	}
	k, t := lx.next()
	st.DBStart = lx.last
	switch {
	case k == tPunct && t[0] == '*':
		st.Database = "*"
	case k == tWord || k == tQuoted:
		st.Database = string(t)
	default:
		return st, fmt.Errorf("a GRANT on an object lifeboat cannot read")
	}
	st.DBEnd = lx.i
	if !lx.punct('.') {
		return st, fmt.Errorf("a GRANT on an unqualified object: lifeboat cannot tell its database")
	}
	lx.next() // the object, or *
	if lx.kw() != "TO" {
		return st, fmt.Errorf("a GRANT lifeboat cannot read")
	}
	return st, st.setAccount(lx)
}

// setAccount reads the one account a statement is for.
func (st *AccountStmt) setAccount(lx *lexer) error {
	name, host, hasHost := lx.account()
	if name == "" {
		return fmt.Errorf("names no account")
	}
	st.Account = AccountName(name, host, !hasHost)
	if lx.punct(',') {
		return fmt.Errorf("names more than one account: lifeboat restores one per statement")
	}
	return nil
}

// account reads user[@host]; a bare word is unquoted.
func (lx *lexer) account() (name, host string, hasHost bool) {
	k, t := lx.next()
	if k != tWord && k != tQuoted && k != tString {
		return "", "", false
	}
	name = string(t)
	if k == tString {
		name = unescape(t)
	}
	if !lx.punct('@') {
		return name, "", false
	}
	k, t = lx.next()
	switch k {
	case tWord, tQuoted:
		return name, string(t), true
	case tString:
		return name, unescape(t), true
	case tPunct:
		return name, string(t), true // @% unquoted
	}
	return name, "", true
}

// unescape reads the body of a '...' string as the server does.
func unescape(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			i++
		} else if b[i] == '\'' && i+1 < len(b) && b[i+1] == '\'' {
			i++
		}
		out.WriteByte(b[i])
	}
	return out.String()
}

func bytesTrim(b []byte) []byte {
	lx := lexer{b: b}
	_, t := lx.next()
	return t
}
