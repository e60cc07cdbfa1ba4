package sqlsplit

import (
	"context"
	"errors"
	"io"
	"strings"
)

// A dump of several databases (lifeboat's database.names, mariadb-dump
// --all-databases or --databases a b) is read in parts: the statements
// before the first database (session settings), then each database's
// part, from its CREATE DATABASE / USE (or DROP DATABASE) to the next
// one's. A restore of some of them reads only their parts, and each part
// goes through a gate of its own with its own target: the gate's rule
// "one database, inside the target" holds part by part.

// Pick says which parts of a dump of several databases a pass reads.
type Pick struct {
	// Targets maps each selected database of the file to the database it
	// is restored into (itself, or --into).
	Targets map[string]string
	// Allowed are databases the plan names (the file's own): definitions
	// in a part may name them (a view over another database), and they
	// are kept as written. Rows still go only into the part's target.
	Allowed []string
}

// Picker reads the selected parts of a dump. Account statements (CREATE
// USER/ROLE, GRANT, SET DEFAULT ROLE) are never returned: accounts are
// restored on their own, when asked.
type Picker struct {
	sp   *Splitter
	pick Pick
	cur  string
	// Enter is called before the first statement of each selected part
	// (a database revisited later, as views are, is entered again).
	Enter func(source, target string) error
	// Skipped counts statements of parts not selected and account statements.
	Skipped int64
}

// NewPicker reads sp through pick.
func NewPicker(sp *Splitter, pick Pick) *Picker { return &Picker{sp: sp, pick: pick} }

// Next returns the next statement of a selected part, or io.EOF.
func (p *Picker) Next() (*Statement, error) {
	for {
		st, err := p.sp.Next()
		if err != nil {
			return nil, err
		}
		if db := PartDatabase(st); db != "" && db != p.cur {
			p.cur = db
			if target, ok := p.pick.Targets[db]; ok && p.Enter != nil {
				if err := p.Enter(db, target); err != nil {
					return nil, err
				}
			}
		}
		_, selected := p.pick.Targets[p.cur]
		if AccountStatement(st.SQL) || (p.cur != "" && !selected) {
			p.Skipped++
			continue
		}
		return st, nil
	}
}

// PartDatabase is the database a statement starts a part of: USE, CREATE
// DATABASE and DROP DATABASE name it; "" for any other statement.
func PartDatabase(st *Statement) string {
	switch st.Kind {
	case Use, CreateDatabase:
		return st.Database
	case Drop:
		if DropsDatabase(st.SQL) {
			return st.Table
		}
	}
	return ""
}

// AccountStatement reports statements that create or change accounts, as
// the server reads them (conditional comments read as SQL).
func AccountStatement(sql []byte) bool {
	lx := lexer{b: sql}
	switch lx.kw() {
	case "GRANT", "REVOKE":
		return true
	case "CREATE", "DROP", "ALTER", "RENAME":
		save := lx.i
		if w := lx.kw(); w == "OR" {
			lx.kw() // REPLACE
		} else {
			lx.i = save
		}
		w := lx.kw()
		return w == "USER" || w == "ROLE"
	case "SET":
		w := lx.kw()
		if w == "PASSWORD" || w == "ROLE" {
			return true
		}
		return w == "DEFAULT" && lx.kw() == "ROLE"
	}
	return ImportRoleStatement(sql)
}

// ImportRoleStatement reports the statements mariadb-dump --system=users
// wraps its accounts in (a mariadb_dump_import_role it creates, sets and
// drops, and the current role saved and put back): session steps of the
// stock client, not accounts to restore.
func ImportRoleStatement(sql []byte) bool {
	lx := lexer{b: sql}
	switch lx.kw() {
	case "SELECT":
		return containsFold(sql, "CURRENT_ROLE") && containsFold(sql, "@CURRENT_ROLE")
	case "EXECUTE":
		return containsFold(sql, "SET ROLE")
	case "SET":
		return lx.kw() == "ROLE"
	}
	return importRoleSubject(sql)
}

// importRoleSubject: CREATE ROLE, DROP ROLE or GRANT of mariadb-dump's
// own mariadb_dump_import_role.
func importRoleSubject(sql []byte) bool {
	lx := lexer{b: sql}
	switch lx.kw() {
	case "GRANT":
	case "CREATE", "DROP":
		if lx.kw() != "ROLE" {
			return false
		}
		lx.ifExists()
	default:
		return false
	}
	return strings.EqualFold(string(lx.word()), "mariadb_dump_import_role")
}

// MySQLOnly reports a statement wholly inside a /*!8xxxx ... */ comment:
// MySQL 8 syntax that MariaDB skips (mariadb-dump writes ALTER USER ...
// DEFAULT ROLE so for MySQL beside SET DEFAULT ROLE for MariaDB).
func MySQLOnly(sql []byte) bool {
	return len(sql) > 8 && string(sql[:3]) == "/*!" && (sql[3] == '8' || sql[3] == '9') && sql[8] == ' '
}

// Contents is what a dump holds, read without the gate: its databases in
// order and how many account statements it has.
type Contents struct {
	Databases []string
	Accounts  int64
}

// ReadContents reads a dump to its end and lists its parts.
func ReadContents(ctx context.Context, r io.Reader) (Contents, error) {
	var c Contents
	sp := New(r)
	for {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		st, err := sp.Next()
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		if err != nil {
			return c, err
		}
		if db := PartDatabase(st); db != "" && !contains(c.Databases, db) {
			c.Databases = append(c.Databases, db)
		}
		if AccountStatement(st.SQL) {
			c.Accounts++
		}
	}
}
