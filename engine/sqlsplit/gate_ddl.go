package sqlsplit

import (
	"fmt"
	"strings"
)

// Definitions: CREATE, DROP, ALTER, TRUNCATE, RENAME, and the statements
// that fall through classify.

// forbidden are words that have no place in a one-database dump's
// definitions, with why. Strings and quoted names are not words, so a
// column called `global` or a comment 'grant' is fine.
var forbidden = map[string]string{
	"OUTFILE": "file I/O", "DUMPFILE": "file I/O", "LOAD_FILE": "file I/O", "INFILE": "file I/O",
	"DIRECTORY": "file I/O", "SONAME": "a server plugin or UDF",
	"GRANT": "an account statement", "REVOKE": "an account statement", "IDENTIFIED": "an account statement",
	"PASSWORD": "an account statement",
	"GLOBAL":   "a global setting", "PREPARE": "dynamic SQL", "EXECUTE": "dynamic SQL",
	"SHUTDOWN": "a server command", "KILL": "a server command", "FLUSH": "a server command",
	"PURGE": "a server command", "INSTALL": "a server plugin or UDF", "UNINSTALL": "a server plugin or UDF",
	"MASTER": "replication", "SLAVE": "replication", "REPLICA": "replication",
}

// badEngines reach outside the server's own storage.
var badEngines = map[string]bool{"CONNECT": true, "FEDERATED": true, "FEDERATEDX": true, "SPIDER": true}

// body scans a whole definition: forbidden words, other schemas in
// qualified names (a.b.c always; a.b when a is a system schema or another
// database on the server), and LOAD DATA, DROP DATABASE, CREATE USER and
// the like inside routine bodies. noSelect refuses SELECT (CREATE TABLE
// ... SELECT reads other tables).
func (g *Gate) body(sql []byte, noSelect bool) string {
	lx := lexer{b: sql, noBackslash: g.mode.noBackslash}
	var prev, prev2 string // the last two words (upper-case), "" after punctuation
	for {
		k, t := lx.next()
		if k == tEOF {
			return ""
		}
		if k == tPunct && t[0] == '@' { // @var, @@session.var: not names
			sys := lx.punct('@')
			if _, v := lx.next(); sys && upper(v) == "GLOBAL" {
				return "a global setting (@@GLOBAL)"
			}
			if lx.punct('.') {
				lx.next()
			}
			prev, prev2 = "", ""
			continue
		}
		if (k == tWord && !isDigit(t[0])) || k == tQuoted {
			if r := g.qualified(&lx, t, k == tQuoted); r != "" {
				return r
			}
		}
		if k != tWord {
			if k == tPunct && t[0] != '=' {
				prev, prev2 = "", ""
			}
			continue
		}
		w := upper(t)
		if why, bad := forbidden[w]; bad {
			return fmt.Sprintf("%s (%s)", why, w)
		}
		if r := pairReason(prev, w); r != "" {
			return r
		}
		if prev == "ENGINE" || (prev2 == "ENGINE" && prev == "") {
			if badEngines[w] {
				return fmt.Sprintf("a table on the %s engine reaches outside the server", w)
			}
		}
		if noSelect && w == "SELECT" {
			return "CREATE TABLE ... SELECT reads other tables"
		}
		prev2, prev = prev, w
	}
}

// pairReason refuses two-word statements inside a definition.
func pairReason(a, b string) string {
	switch {
	case a == "LOAD" && (b == "DATA" || b == "XML"):
		return "file I/O (LOAD " + b + ")"
	case (a == "CREATE" || a == "DROP" || a == "ALTER" || a == "RENAME") && (b == "USER" || b == "ROLE" || b == "SERVER"):
		return "an account statement (" + a + " " + b + ")"
	case (a == "DROP" || a == "ALTER") && (b == "DATABASE" || b == "SCHEMA"):
		return a + " " + b + " inside a definition"
	}
	return ""
}

// qualified checks a name that may be followed by .name or .name.name.
func (g *Gate) qualified(lx *lexer, first []byte, quoted bool) string {
	save := lx.i
	if !lx.punct('.') {
		return ""
	}
	k, _ := lx.next()
	if k != tWord && k != tQuoted && !(k == tPunct && lx.b[lx.last] == '*') {
		lx.i = save
		return ""
	}
	three := false
	save2 := lx.i
	if lx.punct('.') {
		if k, _ := lx.next(); k == tWord || k == tQuoted || k == tPunct {
			three = true
		}
	}
	if !three {
		lx.i = save2
	}
	return g.qualifier(string(first), quoted, three)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// headName reads the object name after the statement's head words and
// checks its qualifier strictly.
func (g *Gate) headName(lx *lexer) (string, bool) {
	first, kind := lx.nameToken()
	if first == nil {
		return "names no object", false
	}
	save := lx.i
	if !lx.punct('.') {
		return "", true
	}
	if k, _ := lx.next(); k != tWord && k != tQuoted {
		lx.i = save
		return "", true
	}
	if r := g.qualifier(string(first), kind == tQuoted, true); r != "" {
		return r, false
	}
	return "", true
}

// nameToken returns the next word or quoted name and its kind.
func (lx *lexer) nameToken() ([]byte, tokKind) {
	k, t := lx.next()
	if k == tWord || k == tQuoted {
		return t, k
	}
	return nil, k
}

// create allows CREATE TABLE/VIEW/routine/INDEX/SEQUENCE in the target.
func (g *Gate) create(st *Statement) string {
	lx := lexer{b: st.SQL, noBackslash: g.mode.noBackslash}
	for {
		k, t := lx.next()
		if k == tEOF {
			return "names no object"
		}
		if k != tWord {
			continue
		}
		w := upper(t)
		switch w {
		case "DEFINER":
			lx.skipDefiner()
			continue
		case "SQL": // SQL SECURITY DEFINER|INVOKER
			lx.word()
			lx.word()
			continue
		}
		if w == "TABLE" || w == "VIEW" || w == "PROCEDURE" || w == "FUNCTION" || w == "TRIGGER" ||
			w == "EVENT" || w == "SEQUENCE" || w == "PACKAGE" || w == "INDEX" {
			if w == "PACKAGE" {
				save := lx.i
				if lx.kw() != "BODY" {
					lx.i = save
				}
			}
			break
		}
	}
	if st.Kind != CreateIndex {
		lx.ifExists()
		if r, ok := g.headName(&lx); !ok {
			return r
		}
	}
	return g.body(st.SQL[lx.i:], st.Kind == CreateTable)
}

// drop allows DROP of the target's objects and of the file's own database
// (the restore empties the target itself and skips it).
func (g *Gate) drop(sql []byte) string {
	lx := lexer{b: sql, noBackslash: g.mode.noBackslash}
	lx.kw() // DROP
	w := lx.kw()
	if w == "TEMPORARY" {
		w = lx.kw()
	}
	switch w {
	case "DATABASE", "SCHEMA":
		lx.ifExists()
		db := lx.word()
		if db == nil || (g.source != "" && string(db) != g.source) || SystemSchema(string(db)) {
			return fmt.Sprintf("DROP DATABASE %q: a restore never drops another database", db)
		}
		return g.noteSource(string(db))
	case "TABLE", "TABLES", "VIEW", "SEQUENCE", "PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE":
	case "INDEX":
		return g.body(sql[lx.i:], false)
	default:
		return fmt.Sprintf("DROP %s is not in a dump of one database", w)
	}
	if w == "PACKAGE" {
		save := lx.i
		if lx.kw() != "BODY" {
			lx.i = save
		}
	}
	lx.ifExists()
	return g.nameList(&lx, "")
}

// nameList checks comma-separated names (with sep between pairs, as in
// RENAME a TO b) up to the end or RESTRICT/CASCADE/WAIT.
func (g *Gate) nameList(lx *lexer, sep string) string {
	for {
		if r, ok := g.headName(lx); !ok {
			return r
		}
		save := lx.i
		k, t := lx.next()
		switch {
		case k == tEOF:
			return ""
		case k == tPunct && t[0] == ',':
			continue
		case k == tWord && sep != "" && upper(t) == sep:
			continue
		case k == tWord && (upper(t) == "RESTRICT" || upper(t) == "CASCADE"):
			lx.i = save
			return g.body(lx.b[lx.i:], false)
		}
		return fmt.Sprintf("unexpected %q after a name", t)
	}
}

// alter allows ALTER TABLE t DISABLE|ENABLE KEYS, index and key ADDs, and
// ALTER DATABASE of the file's own database (its character set).
func (g *Gate) alter(st *Statement) string {
	lx := lexer{b: st.SQL, noBackslash: g.mode.noBackslash}
	lx.kw() // ALTER
	w := lx.kw()
	for w == "ONLINE" || w == "IGNORE" {
		w = lx.kw()
	}
	switch w {
	case "DATABASE", "SCHEMA":
		if st.Database != "" {
			if r := g.noteSource(st.Database); r != "" {
				return r
			}
		}
		return g.body(st.SQL[lx.i:], false)
	case "TABLE":
	default:
		return fmt.Sprintf("ALTER %s is not in a dump of one database", w)
	}
	if r, ok := g.headName(&lx); !ok {
		return r
	}
	rest := lx.i
	switch lx.kw() {
	case "DISABLE", "ENABLE":
		if lx.kw() == "KEYS" {
			if k, _ := lx.next(); k == tEOF {
				return ""
			}
		}
	case "ADD":
		return g.alterAdds(st.SQL[rest:])
	}
	return "only ALTER TABLE ... DISABLE/ENABLE KEYS and ADD KEY/INDEX/CONSTRAINT are allowed"
}

// alterAdds allows clauses that each start with ADD (keys, indexes,
// constraints), their names checked like any definition.
func (g *Gate) alterAdds(sql []byte) string {
	lx := lexer{b: sql, noBackslash: g.mode.noBackslash}
	depth, clauseStart := 0, true
	for {
		k, t := lx.next()
		if k == tEOF {
			break
		}
		if clauseStart {
			if k != tWord || upper(t) != "ADD" {
				return "only ALTER TABLE ... ADD KEY/INDEX/CONSTRAINT clauses are allowed"
			}
			switch lx.kw() {
			case "KEY", "INDEX", "UNIQUE", "FULLTEXT", "SPATIAL", "CONSTRAINT", "FOREIGN", "PRIMARY":
			default:
				return "only ALTER TABLE ... ADD KEY/INDEX/CONSTRAINT clauses are allowed"
			}
			clauseStart = false
			continue
		}
		if k == tPunct {
			switch t[0] {
			case '(':
				depth++
			case ')':
				depth--
			case ',':
				clauseStart = depth == 0
			}
		}
	}
	return g.body(sql, false)
}

// other handles what classify leaves as Other.
func (g *Gate) other(sql []byte) string {
	lx := lexer{b: sql, noBackslash: g.mode.noBackslash}
	w := lx.kw()
	save := lx.i
	w2 := lx.kw()
	if r := pairReason(w, w2); r != "" {
		return r
	}
	lx.i = save
	switch w {
	case "TRUNCATE":
		if w2 == "TABLE" {
			lx.kw()
		}
		return g.nameList(&lx, "")
	case "RENAME":
		if w2 != "TABLE" {
			return "RENAME " + w2 + " is not in a dump of one database"
		}
		lx.kw()
		return g.nameList(&lx, "TO")
	case "DO":
		return g.setval(sql)
	case "COMMIT":
		if k, _ := lx.next(); k == tEOF {
			return ""
		}
	case "GRANT", "REVOKE":
		return "an account statement (" + w + ")"
	case "LOAD":
		return "file I/O (LOAD " + w2 + ")"
	case "":
		return "a statement lifeboat cannot read"
	}
	if why, bad := forbidden[w]; bad {
		return fmt.Sprintf("%s (%s)", why, w)
	}
	return fmt.Sprintf("%s is not in a dump of one database", strings.TrimSpace(w+" "+w2))
}
