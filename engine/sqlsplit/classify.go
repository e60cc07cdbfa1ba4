package sqlsplit

import "bytes"

// Kind is what a statement does, as far as restore needs to know.
type Kind int

const (
	Other          Kind = iota
	Insert              // INSERT or REPLACE
	CreateTable         // CREATE TABLE
	CreateView          // CREATE VIEW
	CreateRoutine       // CREATE PROCEDURE, FUNCTION, TRIGGER or EVENT
	CreateIndex         // CREATE INDEX
	CreateDatabase      // CREATE DATABASE / SCHEMA
	CreateSequence      // CREATE SEQUENCE
	Drop                // DROP anything
	Alter               // ALTER anything
	Use                 // USE db
	Set                 // SET ...
	Lock                // LOCK TABLES
	Unlock              // UNLOCK TABLES
	Select              // SELECT (e.g. SETVAL of sequences)
	Update              // UPDATE (the pieces of a value too big for one statement)
)

var kindNames = [...]string{"other", "insert", "create table", "create view", "create routine", "create index",
	"create database", "create sequence", "drop", "alter", "use", "set", "lock", "unlock", "select", "update"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// IsDDL reports whether the statement changes the schema or the session
// in a way later statements depend on (everything but INSERT).
func (k Kind) IsDDL() bool { return k != Insert }

// classify fills Kind, Table and Database from the statement's first words.
func classify(st *Statement) {
	lx := lexer{b: st.SQL}
	switch lx.kw() {
	case "INSERT", "REPLACE":
		st.Kind = Insert
		for {
			save := lx.i
			if t := lx.kw(); t != "LOW_PRIORITY" && t != "DELAYED" && t != "HIGH_PRIORITY" && t != "IGNORE" && t != "INTO" {
				lx.i = save
				break
			}
		}
		st.Database, st.Table = lx.name()
	case "CREATE":
		classifyCreate(st, &lx)
	case "DROP":
		st.Kind = Drop
		lx.word() // TABLE, VIEW, ...
		lx.ifExists()
		st.Database, st.Table = lx.name()
	case "ALTER":
		st.Kind = Alter
		switch lx.kw() {
		case "TABLE":
			st.Database, st.Table = lx.name()
		case "DATABASE", "SCHEMA": // Table stays empty: the restore renames it
			if k, t := lx.next(); k == tQuoted || (k == tWord && !alterDatabaseOption(upper(t))) {
				st.Database = string(t)
			}
		}
	case "UPDATE":
		st.Kind = Update
		for {
			save := lx.i
			if t := lx.kw(); t != "LOW_PRIORITY" && t != "IGNORE" {
				lx.i = save
				break
			}
		}
		st.Database, st.Table = lx.name()
	case "USE":
		st.Kind = Use
		_, st.Database = lx.name()
	case "SET":
		st.Kind = Set
	case "LOCK":
		st.Kind = Lock
		lx.word() // TABLES
		st.Database, st.Table = lx.name()
	case "UNLOCK":
		st.Kind = Unlock
	case "SELECT":
		st.Kind = Select
	}
}

// DropsDatabase reports whether sql drops a database, as the server reads
// it: comments skipped, conditional comments read (DROP /**/ DATABASE x).
func DropsDatabase(sql []byte) bool {
	lx := lexer{b: sql}
	if lx.kw() != "DROP" {
		return false
	}
	w := lx.kw()
	return w == "DATABASE" || w == "SCHEMA"
}

// alterDatabaseOption reports words that start the options of ALTER
// DATABASE without a name (the current database).
func alterDatabaseOption(w string) bool {
	switch w {
	case "DEFAULT", "CHARACTER", "CHARSET", "COLLATE", "COMMENT", "UPGRADE":
		return true
	}
	return false
}

func classifyCreate(st *Statement, lx *lexer) {
	for {
		switch lx.kw() {
		case "OR", "REPLACE", "TEMPORARY", "AGGREGATE", "ONLINE", "OFFLINE", "UNIQUE", "FULLTEXT", "SPATIAL":
			continue
		case "ALGORITHM":
			lx.punct('=')
			lx.word()
			continue
		case "DEFINER":
			lx.skipDefiner()
			continue
		case "SQL":
			lx.word() // SECURITY
			lx.word() // DEFINER | INVOKER
			continue
		case "TABLE":
			st.Kind = CreateTable
		case "VIEW":
			st.Kind = CreateView
		case "PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE":
			st.Kind = CreateRoutine
		case "INDEX":
			st.Kind = CreateIndex
		case "DATABASE", "SCHEMA":
			st.Kind = CreateDatabase
			lx.ifExists()
			_, st.Database = lx.name()
			return
		case "SEQUENCE":
			st.Kind = CreateSequence
		default:
			return
		}
		break
	}
	lx.ifExists()
	st.Database, st.Table = lx.name()
}

// upper is an ASCII upper-case copy of a short word.
func upper(w []byte) string {
	if len(w) > 20 {
		return ""
	}
	var b [20]byte
	for i, c := range w {
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b[i] = c
	}
	return string(b[:len(w)])
}

// containsFold reports whether s contains the upper-case ASCII word w,
// ignoring case.
func containsFold(s []byte, w string) bool {
	n := len(w)
	for i := 0; i+n <= len(s); i++ {
		if bytes.EqualFold(s[i:i+n], []byte(w)) {
			return true
		}
	}
	return false
}
