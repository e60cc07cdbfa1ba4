// Package sqlsplit owns reading SQL dumps back: a streaming splitter that
// cuts mysqldump, mariadb-dump and lifeboat files into statements the way
// the mysql client does (strings, comments, conditional comments,
// DELIMITER blocks, MariaDB's sandbox line), and classifies each statement
// (kind, table, row count) for the restore executor and verify.
//
// It buffers only the current statement, never the whole file, and scans
// bytes with lookup tables: no regular expressions on the hot path.
package sqlsplit

import (
	"bytes"
	"io"
)

// Statement is one statement of the input, without its delimiter.
type Statement struct {
	SQL      []byte // valid only until the next call to Next
	Line     int    // 1-based line where the statement starts
	Kind     Kind
	Table    string // unquoted table (or view, routine...) name, if any
	Database string // qualifier of Table, or the database of USE/CREATE DATABASE
	Rows     int    // row tuples, for INSERT/REPLACE ... VALUES
	// Literal: an INSERT/REPLACE INTO t [(cols)] VALUES whose tuples hold
	// only literals (numbers, strings, NULL, hex): what a dump writes.
	Literal bool
	// NoBackslash: NO_BACKSLASH_ESCAPES is in force after this statement,
	// as the splitter follows it (the gate checks it follows it right).
	NoBackslash bool
}

// Splitter reads statements one at a time from a stream.
type Splitter struct {
	// OnComment, when set, sees every `--` and `#` comment line found
	// between statements (e.g. "-- Dump completed on ..."), without its
	// line break. text is only valid during the call.
	OnComment func(line int, text []byte)

	r           io.Reader
	buf         []byte
	pos, end    int
	eof         bool
	err         error
	line        int
	delim       []byte
	sql         []byte
	comment     []byte
	st          Statement
	noBackslash bool
	// unterminated: the last statement ran into the end of the input
	// without its delimiter.
	unterminated bool
}

const (
	readSize   = 256 << 10
	maxComment = 4 << 10
)

// New returns a splitter reading r with the default delimiter ";".
func New(r io.Reader) *Splitter {
	return &Splitter{r: r, buf: make([]byte, readSize), line: 1, delim: []byte{';'}}
}

// Delimiter is the delimiter in force now (changed by DELIMITER commands).
func (s *Splitter) Delimiter() string { return string(s.delim) }

// margin is how many bytes past pos the scanners may look at.
func (s *Splitter) margin() int { return len(s.delim) + 12 }

// fill makes sure at least need bytes past pos are buffered, unless the
// input ends first. It compacts the buffer, so callers must have saved
// anything before pos they still need.
func (s *Splitter) fill(need int) {
	if s.end-s.pos >= need || s.eof {
		return
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.pos, s.end = 0, n
	}
	if need > len(s.buf) {
		nb := make([]byte, need*2)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for s.end-s.pos < need && !s.eof {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = err
			}
		} else if n == 0 && s.end == len(s.buf) {
			break
		}
	}
}

// refill reads more data when fewer than the margin's bytes are left.
func (s *Splitter) refill() {
	if s.end-s.pos <= s.margin() && !s.eof {
		s.fill(len(s.buf) / 2)
	}
}

// limit is how far a scanner may run without a refill.
func (s *Splitter) limit() int {
	if s.eof {
		return s.end
	}
	return s.end - s.margin()
}

// Next returns the next statement, or io.EOF after the last one. A read
// error ends the stream with that error.
func (s *Splitter) Next() (*Statement, error) {
	s.sql = s.sql[:0]
	if !s.skipToStatement() {
		if s.err != nil {
			return nil, s.err
		}
		return nil, io.EOF
	}
	line := s.line
	s.scanBody()
	if s.err != nil {
		return nil, s.err
	}
	s.st = Statement{SQL: bytes.TrimRight(s.sql, " \t\r\n"), Line: line}
	classify(&s.st)
	switch s.st.Kind {
	case Insert:
		if s.st.Rows, s.st.Literal = literalInsert(s.st.SQL, s.noBackslash); !s.st.Literal {
			s.st.Rows = countRows(s.st.SQL, s.noBackslash)
		}
	case Set:
		s.trackSQLMode(s.st.SQL)
	}
	s.st.NoBackslash = s.noBackslash
	return &s.st, nil
}

// trackSQLMode follows NO_BACKSLASH_ESCAPES, which changes how strings end.
func (s *Splitter) trackSQLMode(sql []byte) {
	if containsFold(sql, "SQL_MODE") {
		s.noBackslash = containsFold(sql, "NO_BACKSLASH_ESCAPES")
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

// dashComment reports whether "--" at b starts a comment: the second dash
// must be followed by whitespace, a control character, or the end.
func dashComment(b []byte, i, end int, eof bool) bool {
	if i+1 >= end || b[i+1] != '-' {
		return false
	}
	if i+2 >= end {
		return eof
	}
	return b[i+2] <= ' '
}
