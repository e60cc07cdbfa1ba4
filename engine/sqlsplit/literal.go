package sqlsplit

// The restore gate lets an INSERT through only when it is what a dump
// writes: INSERT|REPLACE [modifiers] INTO t [(columns)] VALUES (literal,
// ...), ... with nothing after the last tuple. A literal is a number, a
// string (optionally with a charset introducer or an X/B/N prefix), a hex
// number or NULL. Anything else (a function call, a subquery, a variable,
// a comment, ON DUPLICATE KEY UPDATE) could read or write outside the
// row, so it is not a literal. The scan counts the tuples too, so the
// splitter reads each INSERT once (INSERTs are the hot path).

// litPlain are the bytes inside a tuple that need no decision.
var litPlain [256]bool

func init() {
	for _, c := range "0123456789 \t\r\n.+" {
		litPlain[c] = true
	}
}

// literalInsert returns the tuples of an INSERT and whether it has the
// dump's literal form.
func literalInsert(b []byte, noBackslash bool) (int, bool) {
	lx := lexer{b: b, noBackslash: noBackslash}
	if k := lx.kw(); k != "INSERT" && k != "REPLACE" {
		return 0, false
	}
	for {
		save := lx.i
		if t := lx.kw(); t != "LOW_PRIORITY" && t != "DELAYED" && t != "HIGH_PRIORITY" && t != "IGNORE" && t != "INTO" {
			lx.i = save
			break
		}
	}
	if db, name := lx.name(); name == "" && db == "" {
		return 0, false
	}
	if lx.punct('(') {
		for {
			k, t := lx.next()
			if k == tPunct && t[0] == ')' {
				break
			}
			if k != tQuoted && k != tWord {
				return 0, false
			}
			if k, t := lx.next(); k != tPunct || (t[0] != ',' && t[0] != ')') {
				return 0, false
			} else if t[0] == ')' {
				break
			}
		}
	}
	if k := lx.kw(); k != "VALUES" && k != "VALUE" {
		return 0, false
	}
	return literalTuples(b, lx.i, noBackslash)
}

// literalTuples scans the tuples from i to the end of b.
func literalTuples(b []byte, i int, noBackslash bool) (int, bool) {
	rows, depth := 0, 0
	for i < len(b) {
		c := b[i]
		if depth > 0 && litPlain[c] {
			i++
			continue
		}
		switch {
		case c == '\'' || c == '"':
			j, ok := endQuoted(b, i, noBackslash)
			if !ok || depth == 0 {
				return rows, false
			}
			i = j
			continue
		case c == '(':
			if depth == 0 {
				rows++
			}
			depth++
		case c == ')':
			if depth--; depth < 0 {
				return rows, false
			}
		case c == ',':
		case depth == 0:
			if !isSpace(c) {
				return rows, false
			}
		case c == '-':
			if i+1 < len(b) && b[i+1] == '-' {
				return rows, false // a comment could hide the tuple's end
			}
		case isWordByte(c):
			j := i
			for j < len(b) && isWordByte(b[j]) {
				j++
			}
			if i > 0 && isDigit(b[i-1]) { // the rest of a number: 0x00FF, 1.5e-3
				if !numberTail(b[i:j]) {
					return rows, false
				}
			} else if !literalWord(b, i, j) {
				return rows, false
			}
			i = j
			continue
		default:
			return rows, false
		}
		i++
	}
	return rows, depth == 0 && rows > 0
}

// literalWord reports whether the word b[i:j] inside a tuple is part of a
// literal: a number (0x.. and 1e5 too), a charset introducer, NULL, or
// the X/B/N prefix of a string.
func literalWord(b []byte, i, j int) bool {
	c := b[i]
	switch {
	case '0' <= c && c <= '9':
		return true
	case c == '_':
		return j-i > 1
	case j-i == 1 && j < len(b) && b[j] == '\'':
		switch c | 0x20 {
		case 'x', 'b', 'n':
			return true
		}
		return false
	}
	switch upper(b[i:j]) {
	case "NULL", "TRUE", "FALSE":
		return true
	}
	return false
}

// numberTail reports whether w can follow a number's first digits: hex
// digits and the x of 0x, the e of an exponent.
func numberTail(w []byte) bool {
	for _, c := range w {
		if !isDigit(c) && !('a' <= c|0x20 && c|0x20 <= 'f') && c|0x20 != 'x' {
			return false
		}
	}
	return true
}

// endQuoted returns the index after the string opened at i, and false when
// it does not end.
func endQuoted(b []byte, i int, noBackslash bool) (int, bool) {
	q := b[i]
	for j := i + 1; j < len(b); j++ {
		for j < len(b) && b[j] != q && b[j] != '\\' {
			j++
		}
		if j >= len(b) {
			break
		}
		switch b[j] {
		case '\\':
			if !noBackslash {
				j++
			}
		case q:
			if j+1 < len(b) && b[j+1] == q {
				j++
				continue
			}
			return j + 1, true
		}
	}
	return len(b), false
}
