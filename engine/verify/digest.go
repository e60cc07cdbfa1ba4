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
func digestSQL(r io.Reader, qualify bool) (*streamDigest, error) {
	out := &streamDigest{Tables: map[string]*rowDigest{}}
	sp := sqlsplit.New(r)
	sp.OnComment = func(line int, text []byte) {
		if line == 1 && bytes.HasPrefix(text, []byte(catalog.HeaderPrefix)) {
			out.Lifeboat = true
		}
	}
	part := "" // "db." when qualify: the database the file is in
	for {
		st, err := sp.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if db := sqlsplit.PartDatabase(st); db != "" && qualify {
			part = db + "."
		}
		switch {
		case st.Kind == sqlsplit.Insert && st.Table != "":
			d := out.table(part + st.Table)
			sqlsplit.EachTuple(st.SQL, st.NoBackslash, func(tuple []byte) {
				d.Rows++
				d.add(tuple)
			})
		default:
			if name, ok := updatedTable(st.SQL); ok {
				out.table(part + name).add(st.SQL)
			}
		}
	}
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
