package sqlsplit

import (
	"fmt"
	"strings"
)

// Session settings, sequences and the UPDATE pieces of big values.

// sessionVars are the session settings dumps write (mysqldump,
// mariadb-dump, lifeboat). Any other setting is refused.
var sessionVars = map[string]bool{
	"character_set_client": true, "character_set_results": true, "character_set_connection": true,
	"collation_connection": true, "character_set_database": true, "collation_database": true,
	"time_zone": true, "unique_checks": true, "foreign_key_checks": true, "sql_mode": true,
	"sql_notes": true, "note_verbosity": true, "sql_log_bin": true, "autocommit": true,
	"check_constraint_checks": true, "sql_quote_show_create": true, "max_statement_time": true,
	"innodb_strict_mode": true, "sql_warnings": true, "sql_auto_is_null": true, "sql_safe_updates": true,
}

// set allows session settings and user variables set to plain values.
func (g *Gate) set(sql []byte) string {
	lx := lexer{b: sql, noBackslash: g.mode.noBackslash}
	lx.kw() // SET
	save := lx.i
	switch w := lx.kw(); w {
	case "NAMES", "CHARSET":
		return g.setTail(&lx)
	case "CHARACTER":
		if lx.kw() != "SET" {
			return "SET CHARACTER without SET"
		}
		return g.setTail(&lx)
	case "PASSWORD", "ROLE", "DEFAULT":
		return "an account statement (SET " + w + ")"
	case "GLOBAL":
		return "a global setting (SET GLOBAL)"
	case "STATEMENT", "TRANSACTION":
		return "SET " + w + " is not in a dump"
	}
	lx.i = save
	for {
		if r := g.assignment(&lx); r != "" {
			return r
		}
		k, t := lx.next()
		if k == tEOF {
			return ""
		}
		if k != tPunct || t[0] != ',' {
			return fmt.Sprintf("SET with an expression (%q); only plain values are allowed", t)
		}
	}
}

// setTail allows "charset [COLLATE collation]" to the end.
func (g *Gate) setTail(lx *lexer) string {
	if k, _ := lx.next(); k != tWord && k != tString && k != tQuoted {
		return "SET NAMES without a character set"
	}
	save := lx.i
	if lx.kw() == "COLLATE" {
		lx.next()
	} else {
		lx.i = save
	}
	if k, t := lx.next(); k != tEOF {
		return fmt.Sprintf("unexpected %q after SET NAMES", t)
	}
	return ""
}

// assignment checks one "name = value" of a SET.
func (g *Gate) assignment(lx *lexer) string {
	user, name := false, ""
	if lx.punct('@') {
		if lx.punct('@') {
			scope := lx.word()
			if lx.punct('.') {
				switch strings.ToUpper(string(scope)) {
				case "SESSION", "LOCAL":
				case "GLOBAL":
					return "a global setting (@@GLOBAL)"
				default:
					return fmt.Sprintf("unknown scope @@%s", scope)
				}
				scope = lx.word()
			}
			name = string(scope)
		} else {
			user, name = true, string(lx.word())
		}
	} else {
		w := lx.word()
		switch upper(w) {
		case "GLOBAL":
			return "a global setting (SET GLOBAL)"
		case "SESSION", "LOCAL":
			w = lx.word()
		}
		name = string(w)
	}
	name = strings.ToLower(name)
	if name == "" {
		return "SET without a variable"
	}
	if !user && !sessionVars[name] {
		return fmt.Sprintf("SET %s is not a setting a dump makes", name)
	}
	if lx.punct(':') {
		lx.punct('=')
	} else if !lx.punct('=') {
		return "SET without ="
	}
	v, str, r := g.setValue(lx)
	if r != "" {
		return r
	}
	if str != nil && (user || name == "sql_mode") {
		var why string
		if v, why = g.modeOf(str); why != "" && !user {
			return why
		}
	}
	switch {
	case user:
		g.vars[name] = v
	case name == "sql_mode":
		if !v.known {
			return "sets sql_mode from a value lifeboat cannot follow"
		}
		g.mode = v.mode
	}
	return ""
}

// setting is a SET value as far as sql_mode goes.
type setting struct {
	known bool // the value is a sql_mode the gate knows
	mode  sqlMode
}

// setValue reads one plain value: a string (returned raw), number, word,
// @var or @@var.
func (g *Gate) setValue(lx *lexer) (setting, []byte, string) {
	k, t := lx.next()
	switch {
	case k == tString:
		return setting{}, t, ""
	case k == tPunct && t[0] == '@':
		if lx.punct('@') {
			v := lx.word()
			if lx.punct('.') {
				if upper(v) == "GLOBAL" {
					return setting{}, nil, "reads a global setting into the session"
				}
				v = lx.word()
			}
			if strings.EqualFold(string(v), "sql_mode") {
				return setting{known: true, mode: g.mode}, nil, ""
			}
			return setting{}, nil, ""
		}
		v, ok := g.vars[strings.ToLower(string(lx.word()))]
		if !ok { // never set: NULL, which the server refuses for sql_mode
			v = setting{known: true, mode: g.mode}
		}
		return v, nil, ""
	case k == tPunct && t[0] == '-':
		if k, t := lx.next(); k == tWord && isDigit(t[0]) {
			return setting{}, nil, ""
		}
	case k == tWord:
		save := lx.i
		if lx.punct('(') { // a function call
			lx.i = save
			return setting{}, nil, fmt.Sprintf("SET with a function (%s)", t)
		}
		return setting{}, nil, ""
	}
	return setting{}, nil, fmt.Sprintf("SET with an expression (%q)", t)
}

// modeOf reads a string as a sql_mode. Modes with ANSI_QUOTES make "x" a
// name, not a string: the splitter would cut such a file differently from
// the server, so they are refused.
func (g *Gate) modeOf(s []byte) (setting, string) {
	up := strings.ToUpper(string(s))
	for _, m := range strings.Split(up, ",") {
		switch strings.TrimSpace(m) {
		case "ANSI", "ANSI_QUOTES", "ORACLE", "DB2", "MSSQL", "POSTGRESQL", "MAXDB":
			return setting{}, fmt.Sprintf("sql_mode %s (double quotes become names); lifeboat does not restore files written in it", strings.TrimSpace(m))
		}
	}
	return setting{known: true, mode: sqlMode{noBackslash: strings.Contains(up, "NO_BACKSLASH_ESCAPES")}}, ""
}

// literal reads one literal value: a string (with an introducer or an
// X/B/N prefix), a number (signed), a hex number or NULL.
func (lx *lexer) literal() bool {
	k, t := lx.next()
	if k == tPunct && (t[0] == '-' || t[0] == '+') {
		k, t = lx.next()
		return k == tWord && isDigit(t[0])
	}
	if k == tString {
		return true
	}
	if k != tWord {
		return false
	}
	switch {
	case isDigit(t[0]) || upper(t) == "NULL":
		return true
	case t[0] == '_' || (len(t) == 1 && strings.ContainsRune("xXbBnN", rune(t[0]))):
		k, t = lx.next()
		return k == tString || (k == tWord && isDigit(t[0]))
	}
	return false
}

// update allows only the form the dump writes for a value too big for one
// statement: UPDATE t SET c = CONCAT(c, literal) [, u = u ...] WHERE k =
// literal [AND ...]. The self-assignments keep ON UPDATE timestamps.
func (g *Gate) update(st *Statement) string {
	const want = "only UPDATE t SET c = CONCAT(c, literal) WHERE key = literal is allowed"
	if r := g.dataName(st.Database); r != "" {
		return r
	}
	lx := lexer{b: st.SQL, noBackslash: g.mode.noBackslash}
	lx.kw() // UPDATE
	for {
		save := lx.i
		if w := lx.kw(); w != "LOW_PRIORITY" && w != "IGNORE" {
			lx.i = save
			break
		}
	}
	if _, name := lx.name(); name == "" || lx.kw() != "SET" {
		return want
	}
	col := string(lx.word())
	if col == "" || !lx.punct('=') || lx.kw() != "CONCAT" || !lx.punct('(') || string(lx.word()) != col ||
		!lx.punct(',') || !lx.literal() || !lx.punct(')') {
		return want
	}
	for lx.punct(',') {
		u := lx.word()
		if u == nil || !lx.punct('=') || string(lx.word()) != string(u) {
			return want
		}
	}
	if lx.kw() != "WHERE" {
		return want
	}
	for {
		if lx.word() == nil || !lx.punct('=') || !lx.literal() {
			return want
		}
		switch k, t := lx.next(); {
		case k == tEOF:
			return ""
		case k == tWord && upper(t) == "AND":
			continue
		case k == tWord && upper(t) == "LIMIT":
			if k, t := lx.next(); k == tWord && string(t) == "1" {
				if k, _ := lx.next(); k == tEOF {
					return ""
				}
			}
		}
		return want
	}
}

// setval allows SELECT SETVAL(seq, n, ...) and DO SETVAL(...), which
// restore a sequence's next value.
func (g *Gate) setval(sql []byte) string {
	lx := lexer{b: sql, noBackslash: g.mode.noBackslash}
	lx.kw() // SELECT or DO
	if lx.kw() != "SETVAL" || !lx.punct('(') {
		if r := g.body(sql, false); r != "" {
			return r
		}
		return "a SELECT other than SETVAL of a sequence"
	}
	if r, ok := g.headName(&lx); !ok {
		return r
	}
	for lx.punct(',') {
		if !lx.literal() {
			return "SETVAL with something other than numbers"
		}
	}
	if !lx.punct(')') {
		return "SETVAL with something other than numbers"
	}
	if k, _ := lx.next(); k != tEOF {
		return "SETVAL followed by more SQL"
	}
	return ""
}
