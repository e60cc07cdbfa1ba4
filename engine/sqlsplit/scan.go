package sqlsplit

import (
	"bytes"
)

// sandboxPrefix starts MariaDB's first-line sandbox command; it is a client
// command, not SQL, and is skipped.
var sandboxPrefix = []byte(`/*M!999999\-`)

// skipToStatement skips whitespace, comments, empty statements, DELIMITER
// commands and the sandbox line. It returns false at the end of input.
func (s *Splitter) skipToStatement() bool {
	for {
		s.refill()
		if s.pos >= s.end {
			return false
		}
		b := s.buf
		c := b[s.pos]
		switch {
		case c == '\n':
			s.line++
			s.pos++
		case isSpace(c):
			s.pos++
		case c == '#' || (c == '-' && dashComment(b, s.pos, s.end, s.eof)):
			s.lineComment()
		case c == '/' && s.pos+1 < s.end && b[s.pos+1] == '*':
			if bytes.HasPrefix(b[s.pos:s.end], sandboxPrefix) {
				s.pos += len(sandboxPrefix)
				s.skipBlockComment()
				continue
			}
			if s.pos+2 < s.end && (b[s.pos+2] == '!' || (b[s.pos+2] == 'M' && s.pos+3 < s.end && b[s.pos+3] == '!')) {
				return true // conditional comment: SQL for the server
			}
			s.pos += 2
			s.skipBlockComment()
		case bytes.HasPrefix(b[s.pos:s.end], s.delim):
			s.pos += len(s.delim)
		case (c == 'd' || c == 'D') && s.delimiterCommand():
		default:
			return true
		}
	}
}

// lineComment consumes a comment up to (not including) its line break and
// hands it to OnComment.
func (s *Splitter) lineComment() {
	s.comment = s.comment[:0]
	for {
		s.refill()
		if s.pos >= s.end {
			break
		}
		rest := s.buf[s.pos:s.end]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		if room := maxComment - len(s.comment); room > 0 {
			s.comment = append(s.comment, rest[:min(i, room)]...)
		}
		s.pos += i
		if i < len(rest) {
			break
		}
	}
	if s.OnComment != nil {
		s.OnComment(s.line, bytes.TrimRight(s.comment, "\r"))
	}
}

// skipBlockComment consumes up to and including "*/", counting lines.
func (s *Splitter) skipBlockComment() {
	for {
		s.refill()
		if s.pos >= s.end {
			return
		}
		c := s.buf[s.pos]
		s.pos++
		if c == '\n' {
			s.line++
		} else if c == '*' && s.pos < s.end && s.buf[s.pos] == '/' {
			s.pos++
			return
		}
	}
}

// delimiterCommand handles the client command "DELIMITER xx" at the start
// of a statement: the rest of the line's first word becomes the delimiter.
func (s *Splitter) delimiterCommand() bool {
	const kw = "delimiter"
	s.fill(len(kw) + 1)
	rest := s.buf[s.pos:s.end]
	if len(rest) <= len(kw) || !bytes.EqualFold(rest[:len(kw)], []byte(kw)) || (rest[len(kw)] != ' ' && rest[len(kw)] != '\t') {
		return false
	}
	s.fill(1024)
	rest = s.buf[s.pos:s.end]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		nl = len(rest)
	}
	arg := bytes.Fields(rest[len(kw):nl])
	if len(arg) == 0 {
		return false // "delimiter" alone is not a command; treat as SQL
	}
	s.delim = append([]byte(nil), arg[0]...)
	s.pos += nl
	return true
}

// Byte classes for the statement scanner.
var (
	topSpecial [256]bool // bytes that may change state outside strings
	sqSpecial  [256]bool // inside '...'
	dqSpecial  [256]bool // inside "..."
)

func init() {
	for _, c := range "'\"`-#/*\n" {
		topSpecial[c] = true
	}
	for _, c := range "'\\\n" {
		sqSpecial[c] = true
	}
	for _, c := range "\"\\\n" {
		dqSpecial[c] = true
	}
}

// scanBody appends the statement at pos to s.sql and consumes its
// delimiter. It stops at the end of input for a last, unterminated one.
func (s *Splitter) scanBody() {
	inCond := false
	for {
		s.refill()
		if s.pos >= s.end {
			s.unterminated = true
			return
		}
		d0 := s.delim[0]
		lim := s.limit()
		b := s.buf
		i := s.pos
		for i < lim && !topSpecial[b[i]] && b[i] != d0 {
			i++
		}
		s.sql = append(s.sql, b[s.pos:i]...)
		s.pos = i
		if i >= lim {
			continue
		}
		c := b[i]
		switch {
		case c == d0 && bytes.HasPrefix(b[i:s.end], s.delim):
			s.pos += len(s.delim)
			return
		case c == '\'':
			s.quoted('\'', &sqSpecial, !s.noBackslash)
		case c == '"':
			s.quoted('"', &dqSpecial, !s.noBackslash)
		case c == '`':
			s.backtick()
		case c == '#' || (c == '-' && dashComment(b, i, s.end, s.eof)):
			s.keepLineComment()
		case c == '/' && i+1 < s.end && b[i+1] == '*':
			if i+2 < s.end && (b[i+2] == '!' || (b[i+2] == 'M' && i+3 < s.end && b[i+3] == '!')) {
				inCond = true
				s.take(3)
			} else {
				s.take(2)
				s.keepBlockComment()
			}
		case c == '*' && inCond && i+1 < s.end && b[i+1] == '/':
			inCond = false
			s.take(2)
		case c == '\n':
			s.line++
			s.take(1)
		default:
			s.take(1)
		}
	}
}

// take appends n bytes at pos to the statement.
func (s *Splitter) take(n int) {
	s.sql = append(s.sql, s.buf[s.pos:s.pos+n]...)
	s.pos += n
}

// quoted consumes a string opened at pos: backslash escapes (unless
// NO_BACKSLASH_ESCAPES) and doubled quotes.
func (s *Splitter) quoted(q byte, special *[256]bool, backslash bool) {
	s.take(1)
	for {
		s.refill()
		if s.pos >= s.end {
			return
		}
		lim, b, i := s.limit(), s.buf, s.pos
		for i < lim && !special[b[i]] {
			i++
		}
		s.sql = append(s.sql, b[s.pos:i]...)
		s.pos = i
		if i >= lim {
			continue
		}
		switch b[i] {
		case '\n':
			s.line++
			s.take(1)
		case '\\':
			if !backslash {
				s.take(1)
				continue
			}
			if i+1 < s.end && b[i+1] == '\n' {
				s.line++
			}
			s.take(min(2, s.end-i))
		case q:
			if i+1 < s.end && b[i+1] == q {
				s.take(2)
				continue
			}
			s.take(1)
			return
		}
	}
}

// backtick consumes a quoted identifier; “ is an escaped backtick.
func (s *Splitter) backtick() {
	s.take(1)
	for {
		s.refill()
		if s.pos >= s.end {
			return
		}
		c := s.buf[s.pos]
		if c == '\n' {
			s.line++
		}
		if c == '`' {
			if s.pos+1 < s.end && s.buf[s.pos+1] == '`' {
				s.take(2)
				continue
			}
			s.take(1)
			return
		}
		s.take(1)
	}
}

// keepLineComment copies a comment inside a statement up to its line break.
func (s *Splitter) keepLineComment() {
	for {
		s.refill()
		if s.pos >= s.end {
			return
		}
		rest := s.buf[s.pos:s.end]
		i := bytes.IndexByte(rest, '\n')
		if i >= 0 {
			s.take(i)
			return
		}
		s.take(len(rest))
	}
}

// keepBlockComment copies a comment inside a statement through "*/".
func (s *Splitter) keepBlockComment() {
	for {
		s.refill()
		if s.pos >= s.end {
			return
		}
		c := s.buf[s.pos]
		if c == '\n' {
			s.line++
		}
		if c == '*' && s.pos+1 < s.end && s.buf[s.pos+1] == '/' {
			s.take(2)
			return
		}
		s.take(1)
	}
}
