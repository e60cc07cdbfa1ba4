package verify

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// CountRows reads an SQL stream and counts the row tuples of every
// INSERT/REPLACE ... VALUES statement per table (unqualified, unquoted
// name). It understands quotes with escapes, backtick names, comments,
// conditional comments and DELIMITER blocks, so an INSERT inside a trigger
// body is not counted as data.
//
// It is a small scanner of its own: engine/sqlsplit serves restore, and
// verify only needs the counts.
func CountRows(r io.Reader) (map[string]int64, error) {
	c := &counter{br: bufio.NewReaderSize(r, 1<<20), rows: map[string]int64{}, delim: []byte(";")}
	err := c.run()
	return c.rows, err
}

type lexState int

const (
	stNormal lexState = iota
	stSingle
	stDouble
	stBacktick
	stLineComment
	stBlockComment
)

type counter struct {
	br    *bufio.Reader
	rows  map[string]int64
	delim []byte

	state     lexState
	head      []byte // the statement's first bytes, comments left out
	word      []byte // the identifier being read at depth 0
	depth     int
	insert    int // 0 undecided, 1 INSERT/REPLACE, 2 past its tuples, -1 anything else
	values    bool
	tuples    int64
	lineStart bool
}

const headMax = 512

func (c *counter) run() error {
	c.lineStart = true
	for {
		c.skipPlain()
		b, err := c.br.ReadByte()
		if errors.Is(err, io.EOF) {
			c.endStatement()
			return nil
		}
		if err != nil {
			return err
		}
		if err := c.step(b); err != nil {
			return err
		}
	}
}

// skipPlain jumps over bytes that cannot change the state: the body of a
// quoted string, and the inside of a tuple between its quotes and parens.
func (c *counter) skipPlain() {
	var stop *[256]bool
	switch {
	case c.state == stSingle:
		stop = &stopSingle
	case c.state == stDouble:
		stop = &stopDouble
	case c.state == stNormal && c.depth > 0 && c.delim[0] == ';':
		stop = &stopTuple
	default:
		return
	}
	buf, _ := c.br.Peek(c.br.Buffered())
	i := 0
	for i < len(buf) && !stop[buf[i]] {
		i++
	}
	if i > 0 {
		c.br.Discard(i)
		if c.state == stNormal {
			c.lineStart = false
		}
	}
}

var stopSingle, stopDouble, stopTuple [256]bool

func init() {
	for _, b := range []byte(`'\`) {
		stopSingle[b] = true
	}
	for _, b := range []byte(`"\`) {
		stopDouble[b] = true
	}
	for _, b := range []byte("'\"`()-#/*;\n") {
		stopTuple[b] = true
	}
}

func (c *counter) step(b byte) error {
	switch c.state {
	case stSingle, stDouble:
		return c.quoted(b)
	case stBacktick:
		c.keep(b)
		if b == '`' {
			c.state = stNormal
		}
		return nil
	case stLineComment:
		if b == '\n' {
			c.state = stNormal
			c.lineStart = true
		}
		return nil
	case stBlockComment:
		if b == '*' && c.peekIs('/') {
			c.br.ReadByte()
			c.state = stNormal
		}
		return nil
	}
	return c.normal(b)
}

func (c *counter) quoted(b byte) error {
	quote := byte('\'')
	if c.state == stDouble {
		quote = '"'
	}
	switch b {
	case '\\':
		_, err := c.br.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	case quote:
		c.state = stNormal
	}
	return nil
}

func (c *counter) normal(b byte) error {
	atLineStart := c.lineStart
	c.lineStart = b == '\n'
	if b != '\n' && hasPrefixFold(c.head, "DELIMITER ") {
		c.keep(b) // the client command runs to the end of its line
		return nil
	}
	if b == c.delim[0] && c.matchDelim() {
		c.endStatement()
		return nil
	}
	switch {
	case b == '\n' && len(c.head) > 0 && hasPrefixFold(c.head, "DELIMITER "):
		if d := bytes.TrimSpace(c.head[len("DELIMITER "):]); len(d) > 0 {
			c.delim = bytes.Clone(d)
		}
		c.reset()
		return nil
	case b == '-' && c.peekIs('-') && (atLineStart || len(c.head) == 0 || c.isSpace(c.head[len(c.head)-1])):
		c.state = stLineComment
		return nil
	case b == '#':
		c.state = stLineComment
		return nil
	case b == '/' && c.peekIs('*'):
		c.br.ReadByte()
		if c.peekIs('!') || c.peekIs('M') {
			c.skipConditionalMarker()
			return nil
		}
		c.state = stBlockComment
		return nil
	case b == '*' && c.peekIs('/'):
		c.br.ReadByte() // the end of a conditional comment: its content was code
		return nil
	case b == '\'':
		c.state = stSingle
	case b == '"':
		c.state = stDouble
	case b == '`':
		c.state = stBacktick
	}
	c.token(b)
	c.keep(b)
	return nil
}

// token tracks words and parentheses at depth 0 to find VALUES and count
// the tuples after it.
func (c *counter) token(b byte) {
	if isWordByte(b) && c.state == stNormal {
		c.word = append(c.word, b)
		return
	}
	if len(c.word) > 0 {
		c.endWord()
	}
	switch b {
	case '(':
		c.depth++
		if c.depth == 1 && c.values && c.insert == 1 {
			c.tuples++
		}
	case ')':
		c.depth--
	}
}

func (c *counter) endWord() {
	w := c.word
	c.word = c.word[:0]
	if c.insert == 0 {
		c.insert = -1
		if equalFold(w, "INSERT") || equalFold(w, "REPLACE") {
			c.insert = 1
		}
		return
	}
	if c.insert != 1 || c.depth != 0 {
		return
	}
	switch {
	case equalFold(w, "VALUES") || equalFold(w, "VALUE"):
		c.values = true
	case equalFold(w, "ROW"):
	case c.values:
		// ON DUPLICATE KEY UPDATE a=VALUES(a): the tuples are over.
		c.values, c.insert = false, 2
	}
}

func (c *counter) keep(b byte) {
	if len(c.head) == 0 && c.isSpace(b) {
		return
	}
	if len(c.head) < headMax {
		c.head = append(c.head, b)
	}
}

func (c *counter) endStatement() {
	if len(c.word) > 0 {
		c.endWord()
	}
	if c.insert >= 1 && c.tuples > 0 {
		c.rows[insertTable(c.head)] += c.tuples
	}
	c.reset()
}

func (c *counter) reset() {
	c.head, c.word = c.head[:0], c.word[:0]
	c.depth, c.insert, c.values, c.tuples = 0, 0, false, 0
	c.state = stNormal
}

// matchDelim consumes the rest of the delimiter when it follows.
func (c *counter) matchDelim() bool {
	rest := c.delim[1:]
	if len(rest) == 0 {
		return true
	}
	p, _ := c.br.Peek(len(rest))
	if !bytes.Equal(p, rest) {
		return false
	}
	c.br.Discard(len(rest))
	return true
}

// skipConditionalMarker drops "!40101" or "M!100101" so the comment's
// content is read as code.
func (c *counter) skipConditionalMarker() {
	if c.peekIs('M') {
		c.br.ReadByte()
	}
	if c.peekIs('!') {
		c.br.ReadByte()
	}
	for {
		p, err := c.br.Peek(1)
		if err != nil || p[0] < '0' || p[0] > '9' {
			return
		}
		c.br.ReadByte()
	}
}

func (c *counter) peekIs(b byte) bool {
	p, err := c.br.Peek(1)
	return err == nil && p[0] == b
}

func (c *counter) isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}

func isWordByte(b byte) bool {
	return b == '_' || b == '$' || (b >= '0' && b <= '9') || (b|0x20 >= 'a' && b|0x20 <= 'z') || b >= 0x80
}

func equalFold(b []byte, s string) bool { return len(b) == len(s) && hasPrefixFold(b, s) }

func hasPrefixFold(b []byte, s string) bool {
	return len(b) >= len(s) && bytes.EqualFold(b[:len(s)], []byte(s))
}

// insertTable reads the table name out of "INSERT [modifiers] [INTO] name".
func insertTable(head []byte) string {
	rest := head
	for {
		rest = bytes.TrimLeft(rest, " \t\r\n")
		w := leadingWord(rest)
		switch {
		case w == "":
			return identifier(rest)
		case equalFoldStr(w, "INSERT"), equalFoldStr(w, "REPLACE"), equalFoldStr(w, "INTO"),
			equalFoldStr(w, "IGNORE"), equalFoldStr(w, "LOW_PRIORITY"), equalFoldStr(w, "DELAYED"),
			equalFoldStr(w, "HIGH_PRIORITY"):
			rest = rest[len(w):]
		default:
			return identifier(rest)
		}
	}
}

func leadingWord(b []byte) string {
	i := 0
	for i < len(b) && isWordByte(b[i]) {
		i++
	}
	return string(b[:i])
}

func equalFoldStr(a, b string) bool { return equalFold([]byte(a), b) }

// identifier reads a possibly qualified name (`db`.`t`, db.t, t) and
// returns its last part unquoted.
func identifier(b []byte) string {
	var part []byte
	for len(b) > 0 {
		if b[0] == '`' {
			part = part[:0]
			i := 1
			for i < len(b) {
				if b[i] == '`' {
					if i+1 < len(b) && b[i+1] == '`' {
						part = append(part, '`')
						i += 2
						continue
					}
					break
				}
				part = append(part, b[i])
				i++
			}
			b = b[min(i+1, len(b)):]
		} else {
			w := leadingWord(b)
			if w == "" {
				break
			}
			part = append(part[:0], w...)
			b = b[len(w):]
		}
		if len(b) == 0 || b[0] != '.' {
			break
		}
		b = b[1:]
	}
	return string(part)
}
