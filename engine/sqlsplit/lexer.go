package sqlsplit

import "bytes"

// lexer reads the first tokens of one statement for classify. It skips
// comments and the markers of conditional comments, so
// "/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50001 VIEW `v`" reads as
// CREATE ALGORITHM = UNDEFINED VIEW v.
type lexer struct {
	b    []byte
	i    int
	last int // start of the last token returned
	// noBackslash: NO_BACKSLASH_ESCAPES is in force, so a backslash in a
	// string is an ordinary byte (the gate must read strings as the server does).
	noBackslash bool
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tQuoted // `identifier`, unquoted
	tString // '...' or "...", raw
	tPunct
)

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 0x80 || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// skip passes whitespace, comments and conditional-comment markers.
func (lx *lexer) skip() {
	b := lx.b
	for lx.i < len(b) {
		c := b[lx.i]
		switch {
		case isSpace(c):
			lx.i++
		case c == '/' && lx.i+1 < len(b) && b[lx.i+1] == '*':
			j := lx.i + 2
			if j < len(b) && b[j] == 'M' && j+1 < len(b) && b[j+1] == '!' {
				j++
			}
			if j < len(b) && b[j] == '!' {
				j++
				for j < len(b) && '0' <= b[j] && b[j] <= '9' {
					j++
				}
				lx.i = j
				continue
			}
			end := bytes.Index(b[j:], []byte("*/"))
			if end < 0 {
				lx.i = len(b)
				return
			}
			lx.i = j + end + 2
		case c == '*' && lx.i+1 < len(b) && b[lx.i+1] == '/':
			lx.i += 2
		case c == '#' || (c == '-' && dashComment(b, lx.i, len(b), true)):
			nl := bytes.IndexByte(b[lx.i:], '\n')
			if nl < 0 {
				lx.i = len(b)
				return
			}
			lx.i += nl
		default:
			return
		}
	}
}

// next returns the next token.
func (lx *lexer) next() (tokKind, []byte) {
	lx.skip()
	b := lx.b
	lx.last = lx.i
	if lx.i >= len(b) {
		return tEOF, nil
	}
	c := b[lx.i]
	switch {
	case isWordByte(c):
		j := lx.i
		for j < len(b) && isWordByte(b[j]) {
			j++
		}
		w := b[lx.i:j]
		lx.i = j
		return tWord, w
	case c == '`':
		var out []byte
		j := lx.i + 1
		for j < len(b) {
			if b[j] == '`' {
				if j+1 < len(b) && b[j+1] == '`' {
					out = append(out, '`')
					j += 2
					continue
				}
				break
			}
			out = append(out, b[j])
			j++
		}
		lx.i = min(j+1, len(b))
		return tQuoted, out
	case c == '\'' || c == '"':
		j := lx.i + 1
		for j < len(b) {
			if b[j] == '\\' && !lx.noBackslash {
				j += 2
				continue
			}
			if b[j] == c {
				if j+1 < len(b) && b[j+1] == c {
					j += 2
					continue
				}
				break
			}
			j++
		}
		s := b[lx.i+1 : min(j, len(b))]
		lx.i = min(j+1, len(b))
		return tString, s
	}
	lx.i++
	return tPunct, b[lx.i-1 : lx.i]
}

// word returns the next token's text if it is a word or quoted name.
func (lx *lexer) word() []byte {
	k, t := lx.next()
	if k == tWord || k == tQuoted {
		return t
	}
	return nil
}

// kw returns the next token upper-cased if it is a bare word, else "".
func (lx *lexer) kw() string {
	k, t := lx.next()
	if k == tWord {
		return upper(t)
	}
	return ""
}

// punct consumes c if it comes next.
func (lx *lexer) punct(c byte) bool {
	save := lx.i
	if k, t := lx.next(); k == tPunct && t[0] == c {
		return true
	}
	lx.i = save
	return false
}

// ifExists consumes IF [NOT] EXISTS.
func (lx *lexer) ifExists() {
	save := lx.i
	if lx.kw() != "IF" {
		lx.i = save
		return
	}
	save = lx.i
	if lx.kw() != "NOT" {
		lx.i = save
	}
	lx.kw() // EXISTS
}

// name reads name or db.name.
func (lx *lexer) name() (db, name string) {
	first := lx.word()
	if first == nil {
		return "", ""
	}
	if lx.punct('.') {
		return string(first), string(lx.word())
	}
	return "", string(first)
}

// skipDefiner consumes "= user@host" or "= CURRENT_USER[()]" after DEFINER.
func (lx *lexer) skipDefiner() {
	lx.punct('=')
	lx.next()
	if lx.punct('(') {
		lx.punct(')')
	}
	if lx.punct('@') {
		lx.next()
	}
}
