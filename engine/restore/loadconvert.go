package restore

import (
	"strings"
)

// The rows of a dump's multi-row INSERT become LOAD DATA text (issue 18):
// one line per tuple, fields split by tabs, \N for NULL, and the bytes of
// each value escaped for ESCAPED BY '\\'. The file is read with
// CHARACTER SET binary, so the server stores each field as
// Field::store(bytes, binary). A value is converted only when that call
// stores exactly what the INSERT's literal stores; anything else (an
// unknown token, a literal the column would read otherwise) leaves the
// whole statement to run as the INSERT it is.

// colClass is what a column does with a literal.
type colClass uint8

const (
	clOther    colClass = iota // YEAR, UUID, INET6, ...: always INSERT
	clText                     // CHAR, VARCHAR, TEXT: the connection's charset must be the column's
	clBinary                   // BINARY, VARBINARY, BLOB: bytes as they are
	clEnum                     // ENUM, SET: ASCII text only
	clNumber                   // integers, DECIMAL, FLOAT, DOUBLE
	clTemporal                 // DATE, DATETIME, TIMESTAMP, TIME: ASCII text only
	clBit                      // BIT: hex or bit literals (the bytes), or text
	clGeometry                 // spatial: hex (the WKB bytes), or text
	clYear                     // YEAR: four-digit numbers only (0 is 0000, '0' is 2000)
)

// loadCol is one column of the target table.
type loadCol struct {
	name     string
	class    colClass
	charset  string // CHARACTER_SET_NAME, "" for none
	nullable bool
}

func classOf(dataType string) colClass {
	switch dataType {
	case "char", "varchar", "tinytext", "text", "mediumtext", "longtext":
		return clText
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return clBinary
	case "enum", "set":
		return clEnum
	case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float", "double":
		return clNumber
	case "date", "datetime", "timestamp", "time":
		return clTemporal
	case "bit":
		return clBit
	case "year":
		return clYear
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection":
		return clGeometry
	}
	return clOther
}

// loadTable is what a conversion needs of the target table.
type loadTable struct {
	cols    []loadCol          // in ORDINAL_POSITION order
	byName  map[string]loadCol // lower-case names
	visible bool               // no generated or invisible column: an INSERT without a column list fills cols
}

// converted is one INSERT as LOAD DATA: the table, the column list and
// the text.
type converted struct {
	table string
	cols  []string
	rows  int
}

// literal kinds the lexer returns.
type litKind uint8

const (
	litNull   litKind = iota
	litNumber         // as written
	litString         // unescaped bytes, intro = the introducer ("" none)
	litHex            // 0x.., X'..', b'..', 0b..: the bytes
)

// insertParser reads one INSERT INTO t [(cols)] VALUES (...),(...).
type insertParser struct {
	s           []byte
	i           int
	noBackslash bool
	buf         []byte // the current literal's bytes
}

func (p *insertParser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// keyword consumes kw (upper case) followed by a non-word byte.
func (p *insertParser) keyword(kw string) bool {
	p.ws()
	if len(p.s)-p.i < len(kw) {
		return false
	}
	for k := 0; k < len(kw); k++ {
		if c := p.s[p.i+k]; c != kw[k] && c != kw[k]+('a'-'A') {
			return false
		}
	}
	if j := p.i + len(kw); j < len(p.s) && isWord(p.s[j]) {
		return false
	}
	p.i += len(kw)
	return true
}

func (p *insertParser) byte(c byte) bool {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func isWord(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// ident reads a `quoted` or bare name.
func (p *insertParser) ident() (string, bool) {
	p.ws()
	if p.i < len(p.s) && p.s[p.i] == '`' {
		var b []byte
		for j := p.i + 1; j < len(p.s); j++ {
			if p.s[j] != '`' {
				b = append(b, p.s[j])
				continue
			}
			if j+1 < len(p.s) && p.s[j+1] == '`' {
				b = append(b, '`')
				j++
				continue
			}
			p.i = j + 1
			return string(b), len(b) > 0
		}
		return "", false
	}
	j := p.i
	for j < len(p.s) && isWord(p.s[j]) {
		j++
	}
	if j == p.i {
		return "", false
	}
	name := string(p.s[p.i:j])
	p.i = j
	return name, true
}

// header reads up to VALUES: the table and the column list (nil: none).
func (p *insertParser) header() (table string, cols []string, ok bool) {
	if !p.keyword("INSERT") || !p.keyword("INTO") {
		return "", nil, false
	}
	if table, ok = p.ident(); !ok || p.byte('.') {
		return "", nil, false // a qualified name: the INSERT knows where it goes
	}
	if p.byte('(') {
		for {
			c, ok := p.ident()
			if !ok {
				return "", nil, false
			}
			cols = append(cols, c)
			if p.byte(')') {
				break
			}
			if !p.byte(',') {
				return "", nil, false
			}
		}
	}
	return table, cols, p.keyword("VALUES")
}

// literal reads one value; ok is false for anything it does not know.
func (p *insertParser) literal() (kind litKind, intro string, text []byte, ok bool) {
	p.ws()
	if p.i >= len(p.s) {
		return 0, "", nil, false
	}
	c := p.s[p.i]
	switch {
	case c == '\'':
		return litString, "", p.buf, p.quoted()
	case c == '_':
		j := p.i + 1
		for j < len(p.s) && isWord(p.s[j]) {
			j++
		}
		intro = strings.ToLower(string(p.s[p.i+1 : j]))
		p.i = j
		p.ws()
		if intro == "" || p.i >= len(p.s) || p.s[p.i] != '\'' {
			return 0, "", nil, false
		}
		return litString, intro, p.buf, p.quoted()
	case c == '0' && p.i+1 < len(p.s) && (p.s[p.i+1] == 'x' || p.s[p.i+1] == 'b'):
		base := p.s[p.i+1]
		j := p.i + 2
		for j < len(p.s) && isWord(p.s[j]) {
			j++
		}
		digits := p.s[p.i+2 : j]
		p.i = j
		return litHex, "", p.buf, p.digitsTo(digits, base)
	case (c == 'x' || c == 'X' || c == 'b' || c == 'B') && p.i+1 < len(p.s) && p.s[p.i+1] == '\'':
		end := p.i + 2
		for end < len(p.s) && p.s[end] != '\'' {
			end++
		}
		if end >= len(p.s) {
			return 0, "", nil, false
		}
		digits := p.s[p.i+2 : end]
		p.i = end + 1
		base := byte('x')
		if c == 'b' || c == 'B' {
			base = 'b'
		}
		return litHex, "", p.buf, p.digitsTo(digits, base)
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		j := p.i
		if c == '-' || c == '+' {
			j++
		}
		digits, dot, exp := 0, false, false
		for j < len(p.s) {
			d := p.s[j]
			switch {
			case d >= '0' && d <= '9':
				digits++
			case d == '.' && !dot && !exp:
				dot = true
			case (d == 'e' || d == 'E') && !exp && digits > 0:
				exp = true
				if j+1 < len(p.s) && (p.s[j+1] == '-' || p.s[j+1] == '+') {
					j++
				}
			default:
				goto done
			}
			j++
		}
	done:
		if digits == 0 || (j < len(p.s) && isWord(p.s[j])) || p.s[j-1] == 'e' || p.s[j-1] == 'E' || p.s[j-1] == '-' || p.s[j-1] == '+' {
			return 0, "", nil, false
		}
		text = p.s[p.i:j]
		p.i = j
		return litNumber, "", text, true
	}
	if p.keyword("NULL") {
		return litNull, "", nil, true
	}
	return 0, "", nil, false
}

// quoted reads a '...' string into p.buf as the server would read it.
func (p *insertParser) quoted() bool {
	b, s := p.buf[:0], p.s
	for j := p.i + 1; j < len(s); j++ {
		k := j // copy the span up to the next quote or backslash whole
		for k < len(s) && s[k] != '\'' && (s[k] != '\\' || p.noBackslash) {
			k++
		}
		b = append(b, s[j:k]...)
		if j = k; j >= len(s) {
			break
		}
		if s[j] == '\'' {
			if j+1 < len(s) && s[j+1] == '\'' {
				b = append(b, '\'')
				j++
				continue
			}
			p.buf, p.i = b, j+1
			return true
		}
		if j+1 >= len(s) { // a backslash: what it escapes
			return false
		}
		j++
		if e := s[j]; e == '%' || e == '_' { // LIKE wildcards keep their backslash
			b = append(b, '\\', e)
		} else {
			b = append(b, sqlUnescape(e))
		}
	}
	return false
}

// sqlUnescape is the byte a backslash followed by e stands for in a
// string literal.
func sqlUnescape(e byte) byte {
	switch e {
	case '0':
		return 0
	case 'b':
		return '\b'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'Z':
		return 26
	}
	return e
}

// quotedField reads the string literal at p.i straight into out as a
// LOAD DATA field: what appendField writes of the bytes quoted reads,
// without those bytes in between (one pass over the text, not two: the
// wide bench shape is long strings).
func (p *insertParser) quotedField(out []byte) ([]byte, bool) {
	s := p.s
	for j := p.i + 1; j < len(s); j++ {
		k := j // copy the span that needs no change whole
		for k < len(s) && !sqlFieldStop[s[k]] {
			k++
		}
		out = append(out, s[j:k]...)
		if j = k; j >= len(s) {
			break
		}
		switch c := s[j]; {
		case c == '\'':
			if j+1 < len(s) && s[j+1] == '\'' {
				out = append(out, '\'')
				j++
				continue
			}
			p.i = j + 1
			return out, true
		case c == '\\' && !p.noBackslash:
			if j+1 >= len(s) {
				return out, false
			}
			j++
			if e := s[j]; e == '%' || e == '_' { // LIKE wildcards keep their backslash
				out = append(out, '\\', '\\', e)
			} else {
				out = appendFieldByte(out, sqlUnescape(e))
			}
		default: // a raw tab, newline or NUL; a backslash in NO_BACKSLASH_ESCAPES
			out = appendFieldByte(out, c)
		}
	}
	return out, false
}

// sqlFieldStop marks the bytes of a quoted string quotedField looks at.
var sqlFieldStop = [256]bool{'\'': true, '\\': true, '\t': true, '\n': true, 0: true}

// appendFieldByte is appendField of one byte.
func appendFieldByte(out []byte, c byte) []byte {
	switch c {
	case '\\':
		return append(out, '\\', '\\')
	case '\t':
		return append(out, '\\', 't')
	case '\n':
		return append(out, '\\', 'n')
	case 0:
		return append(out, '\\', '0')
	}
	return append(out, c)
}

// digitsTo decodes hex (base 'x') or binary ('b') digits into p.buf, the
// bytes of the literal, right-aligned like the server's.
func (p *insertParser) digitsTo(d []byte, base byte) bool {
	b := p.buf[:0]
	if len(d) == 0 {
		return false
	}
	bits := 4
	if base == 'b' {
		bits = 1
	}
	total := len(d) * bits
	nbytes := (total + 7) / 8
	var acc byte
	filled := nbytes*8 - total // leading zero bits
	for _, c := range d {
		var v byte
		switch {
		case base == 'b' && (c == '0' || c == '1'):
			v = c - '0'
		case base == 'x' && c >= '0' && c <= '9':
			v = c - '0'
		case base == 'x' && c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case base == 'x' && c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return false
		}
		for k := bits - 1; k >= 0; k-- {
			acc = acc<<1 | (v>>k)&1
			filled++
			if filled == 8 {
				b = append(b, acc)
				acc, filled = 0, 0
			}
		}
	}
	if base == 'x' && len(d)%2 == 1 {
		return false // 0xABC: the server pads it, X'ABC' is an error; leave both to it
	}
	p.buf = b
	return true
}

// fits reports whether Field::store(bytes, binary), as LOAD DATA calls it,
// stores what the INSERT's literal stores in a column of class col.
func fits(col loadCol, kind litKind, intro string, text []byte, conn string) bool {
	switch kind {
	case litNull:
		return col.nullable // NOT NULL: LOAD DATA and INSERT differ (defaults, timestamps)
	case litNumber:
		return col.class == clNumber || (col.class == clYear && len(text) == 4 && digitsOnly(text))
	case litHex:
		return len(text) > 0 && (col.class == clBinary || col.class == clBit || col.class == clGeometry || col.class == clText)
	}
	switch intro {
	case "":
		switch col.class {
		case clText:
			return col.charset == conn
		case clBinary:
			return true
		case clBit, clGeometry:
			return len(text) > 0
		case clEnum:
			return len(text) > 0 && ascii(text) && col.charset == conn
		case clNumber, clTemporal:
			return len(text) > 0 && ascii(text)
		}
		return false
	case "binary":
		return col.class == clBinary || col.class == clText || (len(text) > 0 && (col.class == clBit || col.class == clGeometry))
	}
	return col.class == clBinary || (col.class == clText && col.charset == intro)
}

func digitsOnly(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func ascii(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// appendField writes b escaped for ESCAPED BY '\\' with tab-separated
// fields and newline-terminated lines.
func appendField(out, b []byte) []byte {
	for len(b) > 0 {
		k := 0 // copy the span that needs no escape whole
		for k < len(b) && !fieldEscape[b[k]] {
			k++
		}
		out = append(out, b[:k]...)
		if k == len(b) {
			break
		}
		out = appendFieldByte(out, b[k])
		b = b[k+1:]
	}
	return out
}

// fieldEscape marks the bytes appendField escapes.
var fieldEscape = [256]bool{'\\': true, '\t': true, '\n': true, 0: true}

// parseInsertHeader returns the table of an INSERT the converter may take
// (INSERT INTO one unqualified name ... VALUES), "" otherwise.
func parseInsertHeader(sql []byte) string {
	p := insertParser{s: sql}
	t, _, ok := p.header()
	if !ok {
		return ""
	}
	return t
}

// convertInsert turns sql into LOAD DATA text appended to out[:0]. ok is
// false when any part of it is not known to load exactly the same.
func convertInsert(sql []byte, noBackslash bool, t *loadTable, conn string, out []byte) (c converted, data []byte, ok bool) {
	p := insertParser{s: sql, noBackslash: noBackslash}
	table, names, ok := p.header()
	if !ok {
		return c, out, false
	}
	var cols []loadCol
	if names == nil {
		if !t.visible {
			return c, out, false
		}
		cols = t.cols
		for _, col := range cols {
			c.cols = append(c.cols, col.name)
		}
	} else {
		for _, n := range names {
			col, found := t.byName[strings.ToLower(n)]
			if !found {
				return c, out, false
			}
			cols = append(cols, col)
		}
		c.cols = names
	}
	c.table = table
	data = out[:0]
	for {
		if !p.byte('(') {
			return c, out, false
		}
		for k, col := range cols {
			if k > 0 {
				if !p.byte(',') {
					return c, out, false
				}
				data = append(data, '\t')
			}
			if p.ws(); p.i < len(p.s) && p.s[p.i] == '\'' && (col.class == clBinary || col.class == clText && col.charset == conn) {
				if data, ok = p.quotedField(data); !ok { // what fits says of any such string
					return c, out, false
				}
				continue
			}
			kind, intro, text, ok := p.literal()
			if !ok || !fits(col, kind, intro, text, conn) {
				return c, out, false
			}
			if kind == litNull {
				data = append(data, '\\', 'N')
			} else {
				data = appendField(data, text)
			}
		}
		if !p.byte(')') {
			return c, out, false
		}
		data = append(data, '\n')
		c.rows++
		if !p.byte(',') {
			break
		}
	}
	p.byte(';')
	p.ws()
	if p.i != len(p.s) || c.rows == 0 {
		return c, out, false
	}
	return c, data, true
}
