package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// rowDigest is an order-independent digest of one table's data as the SQL
// text writes it: the number of row tuples and, per tuple, the sha256 of
// its bytes ("(1,'a',NULL)") summed in two 64-bit lanes. Summing keeps
// duplicates apart (a multiset), and the order the rows arrive in (dump
// chunks, restore workers) does not matter. The UPDATE … SET col =
// CONCAT(col, …) statements that carry the rest of a value too big for one
// statement are digested whole, the same way.
type rowDigest struct {
	Rows int64
	Sum  [2]uint64
}

func (d *rowDigest) add(b []byte) {
	h := sha256.Sum256(b)
	d.Sum[0] += binary.LittleEndian.Uint64(h[0:8])
	d.Sum[1] += binary.LittleEndian.Uint64(h[8:16])
}

// streamDigest is what digestSQL found in one SQL stream.
type streamDigest struct {
	Tables   map[string]*rowDigest // per unqualified table name
	Lifeboat bool                  // the stream starts with lifeboat's header line
}

func (s *streamDigest) table(name string) *rowDigest {
	d := s.Tables[name]
	if d == nil {
		d = &rowDigest{}
		s.Tables[name] = d
	}
	return d
}

// digestSQL splits r with the restore's own splitter and digests the row
// tuples of every INSERT/REPLACE … VALUES per table.
func digestSQL(r io.Reader) (*streamDigest, error) {
	out := &streamDigest{Tables: map[string]*rowDigest{}}
	sp := sqlsplit.New(r)
	sp.OnComment = func(line int, text []byte) {
		if line == 1 && bytes.HasPrefix(text, []byte(catalog.HeaderPrefix)) {
			out.Lifeboat = true
		}
	}
	for {
		st, err := sp.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch {
		case st.Kind == sqlsplit.Insert && st.Table != "":
			d := out.table(st.Table)
			eachTuple(st.SQL, func(tuple []byte) {
				d.Rows++
				d.add(tuple)
			})
		default:
			if name, ok := updatedTable(st.SQL); ok {
				out.table(name).add(st.SQL)
			}
		}
	}
}

// eachTuple calls fn with every parenthesised row tuple after the VALUES
// keyword of an INSERT, backslash escapes assumed (as every dump tool
// writes them), stopping at the first other token (ON DUPLICATE KEY …).
func eachTuple(b []byte, fn func([]byte)) {
	i := valuesEnd(b)
	if i < 0 {
		return
	}
	depth, start := 0, 0
	for i < len(b) {
		c := b[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(b, i)
			continue
		case c == '(':
			if depth == 0 {
				start = i
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				fn(b[start : i+1])
			}
		case depth == 0 && c != ',' && !isSpace(c):
			return
		}
		i++
	}
}

// valuesEnd returns the index just after a VALUES/VALUE keyword outside
// quotes and parentheses, or -1.
func valuesEnd(b []byte) int {
	depth := 0
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(b, i)
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (c == 'V' || c == 'v') && (i == 0 || !isWord(b[i-1])):
			j := i
			for j < len(b) && isWord(b[j]) {
				j++
			}
			if w := strings.ToUpper(string(b[i:j])); w == "VALUES" || w == "VALUE" {
				return j
			}
			i = j
			continue
		}
		i++
	}
	return -1
}

// skipQuoted returns the index after the quoted string or name at i.
func skipQuoted(b []byte, i int) int {
	q := b[i]
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			if j+1 < len(b) && b[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(b)
}

// updatedTable returns the table of an "UPDATE `t` SET …" statement.
func updatedTable(sql []byte) (string, bool) {
	rest, ok := cutWordFold(sql, "UPDATE")
	if !ok {
		return "", false
	}
	rest = bytes.TrimLeft(rest, " \t\r\n")
	if len(rest) == 0 {
		return "", false
	}
	if rest[0] != '`' {
		j := 0
		for j < len(rest) && isWord(rest[j]) {
			j++
		}
		return string(rest[:j]), j > 0
	}
	var name []byte
	for j := 1; j < len(rest); j++ {
		if rest[j] == '`' {
			if j+1 < len(rest) && rest[j+1] == '`' {
				name = append(name, '`')
				j++
				continue
			}
			return string(name), true
		}
		name = append(name, rest[j])
	}
	return "", false
}

func cutWordFold(b []byte, w string) ([]byte, bool) {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) <= len(w) || !strings.EqualFold(string(b[:len(w)]), w) || isWord(b[len(w)]) {
		return nil, false
	}
	return b[len(w):], true
}

func isWord(c byte) bool {
	return c == '_' || c == '$' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}
