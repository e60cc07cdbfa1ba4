package restore

import (
	"bytes"
	"strings"
)

// quoteName quotes an identifier with backticks.
func quoteName(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// renameDatabase replaces the first mention of database from (quoted or
// bare) in a CREATE DATABASE statement with to.
func renameDatabase(sql []byte, from, to string) []byte {
	if from == to {
		return sql
	}
	if i := bytes.Index(sql, []byte(quoteName(from))); i >= 0 {
		return concat(sql[:i], []byte(quoteName(to)), sql[i+len(quoteName(from)):])
	}
	if i := bytes.Index(sql, []byte(" "+from)); i >= 0 {
		return concat(sql[:i+1], []byte(quoteName(to)), sql[i+1+len(from):])
	}
	return sql
}

// requalify rewrites `from`.x to `to`.x in views, routines and triggers
// that name their own database.
func requalify(sql []byte, from, to string) []byte {
	old := []byte(quoteName(from) + ".")
	if !bytes.Contains(sql, old) {
		return sql
	}
	return bytes.ReplaceAll(sql, old, []byte(quoteName(to)+"."))
}

func concat(parts ...[]byte) []byte {
	var b bytes.Buffer
	for _, p := range parts {
		b.Write(p)
	}
	return b.Bytes()
}

// requalifyColumns rewrites `from`.x to `to`.x in a CREATE TABLE's body
// only (after the first "(" outside quotes), never in the table's own
// name: a DEFAULT NEXTVAL(`db`.`seq`) of a table loaded into a copy must
// name the database the table is swapped into.
func requalifyColumns(sql []byte, from, to string) []byte {
	var quote byte
	for i, c := range sql {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '`' || c == '"' || c == '\'':
			quote = c
		case c == '(':
			return concat(sql[:i], requalify(sql[i:], from, to))
		}
	}
	return sql
}
