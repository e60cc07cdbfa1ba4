package dump

import (
	"database/sql/driver"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"sort"
)

// No statement in a dump is bigger than the restoring server accepts
// (max_allowed_packet). A row too big for one statement is written in
// pieces: the INSERT with its long values cut short, then
//
//	UPDATE `t` SET `c` = CONCAT(`c`, <piece>)[, `u` = `u`...] WHERE `k` = <v> [AND ...]
//
// until each value is whole (`u` = `u` keeps ON UPDATE CURRENT_TIMESTAMP
// columns as dumped). The UPDATEs run in strict mode, so a server whose
// max_allowed_packet is below a value's full size (CONCAT's result is
// limited by it) fails loudly instead of storing an empty value.

// portablePacket caps every statement lifeboat cuts, whatever the source
// server allows. The stock client does not need it: the 10.11 `mariadb`
// client sent a 67,108,847-byte statement to a 64M server despite its own
// max_allowed_packet default of 16 MiB (the server refused one of
// 67,108,947 bytes with error 1153). But 16 MiB is the server default of
// MariaDB, so a backup of a 64M server still loads into a freshly
// installed one, the usual place a disaster restore lands.
const portablePacket = 16 << 20

// packetMargin is left below the limit: the packet also carries the
// command byte, and a restore may rewrite names in a statement.
const packetMargin = 4 << 10

// limits are one dump's statement sizes, without the ";\n" after them.
type limits struct {
	stmt   int // statements lifeboat can cut stay within this
	server int // the source server's max_allowed_packet less the margin: rows that cannot be cut must fit this
}

func newLimits(serverPacket int64, override int) limits {
	server := int(min(serverPacket, 1<<30)) - packetMargin
	if serverPacket <= 0 {
		server = portablePacket - packetMargin
	}
	stmt := min(server, portablePacket-packetMargin)
	if override > 0 {
		stmt = min(override, server)
	}
	return limits{stmt: max(stmt, 1024), server: max(server, 1024)}
}

// StatementCap is the largest statement a dump of a server with this
// max_allowed_packet writes: verify dumps its restored copy with the same
// cap, so big values are cut at the same places.
func StatementCap(serverPacket int64) int { return newLimits(serverPacket, 0).stmt }

// literalLen is an upper bound of a value's literal in a statement.
func literalLen(col column, v driver.Value) int {
	b, ok := v.([]byte)
	switch {
	case v == nil:
		return 4
	case !ok:
		return 24
	case col.kind == kindNumber:
		return len(b)
	case col.kind == kindHex:
		return 2 + 2*len(b)
	case col.kind == kindBinary:
		return len("_binary''") + escapedLen(b)
	}
	return len(col.introducer) + 2 + escapedLen(b)
}

func escapedLen(v []byte) int {
	n := len(v)
	for _, c := range v {
		if escapes[c] != 0 {
			n++
		}
	}
	return n
}

// bigRow writes one row that may not fit a statement of the normal path:
// whole when it fits, else in pieces. It returns the largest value it cut
// (0 when none).
func bigRow(ch *chunk, prefix []byte, vals []driver.Value, emit func(*[]byte) error) (int, error) {
	t, lim := ch.t, ch.lim
	lits := make([]int, len(vals))
	total := len(prefix) + 2 + len(vals) - 1
	for i, v := range vals {
		lits[i] = literalLen(t.cols[i], v)
		total += lits[i]
	}
	if total <= lim.stmt {
		return 0, emitWhole(prefix, t, vals, total, emit)
	}
	cut, why := choosePieces(t, vals, lits, total, lim.stmt)
	if cut == nil {
		if total <= lim.server {
			ch.note = fmt.Sprintf("table %s: a row of %s was written as one statement of %s (%s); the restoring server needs max_allowed_packet of at least %s",
				qi(t.name), mib(int64(rawSize(vals))), mib(int64(total)), why, mib(int64(total+packetMargin)))
			return 0, emitWhole(prefix, t, vals, total, emit)
		}
		return 0, tooBig(t, vals, lits, total, lim, why)
	}
	return writePieces(ch, prefix, vals, lits, cut, emit)
}

func emitWhole(prefix []byte, t *table, vals []driver.Value, total int, emit func(*[]byte) error) error {
	b := make([]byte, 0, total+2)
	b = append(b, prefix...)
	b = appendRow(b, t.cols, vals)
	return emit(&b)
}

const (
	noKey       = "the table has no primary key or NOT NULL unique key to write it in pieces by"
	notCuttable = "its long values are key columns or of a type that cannot be written in pieces"
)

// choosePieces picks the values to cut, longest first, until the INSERT
// with those values empty fits limit. nil and the reason when the row
// cannot be cut.
func choosePieces(t *table, vals []driver.Value, lits []int, total, limit int) ([]int, string) {
	if len(t.key) == 0 {
		return nil, noKey
	}
	inKey := map[int]bool{}
	for _, k := range t.key {
		inKey[k] = true
	}
	var cand []int
	for i, v := range vals {
		if b, ok := v.([]byte); ok && len(b) > 0 && !inKey[i] && cutterFor(t.cols[i]) != nil {
			cand = append(cand, i)
		}
	}
	sort.SliceStable(cand, func(a, b int) bool { return lits[cand[a]] > lits[cand[b]] })
	var cut []int
	for _, i := range cand {
		if total <= limit {
			break
		}
		cut = append(cut, i)
		total -= lits[i] - literalLen(t.cols[i], []byte{})
	}
	if total > limit {
		return nil, notCuttable
	}
	return cut, ""
}

// writePieces writes the INSERT with the cut values' first pieces, then
// one UPDATE per further piece.
func writePieces(ch *chunk, prefix []byte, vals []driver.Value, lits, cut []int, emit func(*[]byte) error) (int, error) {
	t, limit := ch.t, ch.lim.stmt
	isCut := map[int]bool{}
	for _, i := range cut {
		isCut[i] = true
	}
	// INSERT: every other value whole, the cut ones empty but for as much
	// of the first as the room left allows.
	fixed := len(prefix) + 2 + len(vals) - 1
	for i := range vals {
		if isCut[i] {
			fixed += literalLen(t.cols[i], []byte{})
		} else {
			fixed += lits[i]
		}
	}
	first := cut[0]
	fv := vals[first].([]byte)
	end := 0
	if room := limit - fixed; room > 0 {
		end = pieceEnd(t.cols[first], fv, 0, room)
	}
	ins := make([]byte, 0, limit+2)
	ins = append(ins, prefix...)
	ins = append(ins, '(')
	for i, v := range vals {
		if i > 0 {
			ins = append(ins, ',')
		}
		switch {
		case i == first:
			ins = appendBytes(ins, t.cols[i], fv[:end])
		case isCut[i]:
			ins = appendBytes(ins, t.cols[i], nil)
		default:
			ins = appendValue(ins, t.cols[i], v)
		}
	}
	ins = append(ins, ')')
	if t.hasCheck {
		if err := emitText(emit, "/*M!100201 SET check_constraint_checks = 0 */"); err != nil {
			return 0, err
		}
	}
	if err := emit(&ins); err != nil {
		return 0, err
	}
	if err := emitText(emit, "/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO,STRICT_ALL_TABLES' */"); err != nil {
		return 0, err
	}
	where := whereKey(t, vals)
	largest := 0
	for _, i := range cut {
		v := vals[i].([]byte)
		largest = max(largest, len(v))
		from := 0
		if i == first {
			from = end
		}
		if err := updates(t, i, v, from, where, limit, emit); err != nil {
			return 0, err
		}
	}
	if err := emitText(emit, "/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */"); err != nil {
		return 0, err
	}
	if t.hasCheck {
		if err := emitText(emit, "/*M!100201 SET check_constraint_checks = 1 */"); err != nil {
			return 0, err
		}
	}
	return largest, nil
}

// updates appends v[from:] to column i of the row in pieces.
func updates(t *table, i int, v []byte, from int, where []byte, limit int, emit func(*[]byte) error) error {
	col := t.cols[i]
	head := []byte("UPDATE ")
	head = quoteIdent(head, t.name)
	head = append(head, " SET "...)
	head = quoteIdent(head, col.name)
	head = append(head, " = CONCAT("...)
	head = quoteIdent(head, col.name)
	head = append(head, ", "...)
	room := limit - len(head) - len(where) - 1 - literalLen(col, []byte{})
	for from < len(v) {
		end := pieceEnd(col, v, from, room)
		if end == from {
			return fmt.Errorf("table %s column %s: a statement of %d bytes leaves no room for a piece of the value: raise max_allowed_packet", qi(t.name), qi(col.name), limit)
		}
		b := make([]byte, 0, limit+2)
		b = append(b, head...)
		b = appendBytes(b, col, v[from:end])
		b = append(b, ')')
		b = append(b, where...)
		if err := emit(&b); err != nil {
			return err
		}
		from = end
	}
	return nil
}

// whereKey is "[, `u` = `u`...] WHERE `k` = <v> [AND ...]".
func whereKey(t *table, vals []driver.Value) []byte {
	var b []byte
	for _, c := range t.cols {
		if c.onUpdate {
			b = append(b, ", "...)
			b = quoteIdent(b, c.name)
			b = append(b, " = "...)
			b = quoteIdent(b, c.name)
		}
	}
	b = append(b, " WHERE "...)
	for n, k := range t.key {
		if n > 0 {
			b = append(b, " AND "...)
		}
		b = quoteIdent(b, t.cols[k].name)
		b = append(b, " = "...)
		b = appendValue(b, t.cols[k], vals[k])
	}
	return b
}

// pieceEnd returns the end of the piece of v that starts at from and
// whose escaped text takes at most room bytes, on a character boundary.
func pieceEnd(col column, v []byte, from, room int) int {
	end, cost := from, 0
	for end < len(v) {
		c := 1
		if escapes[v[end]] != 0 {
			c = 2
		}
		if cost+c > room {
			break
		}
		cost += c
		end++
	}
	if end < len(v) {
		end = cutterFor(col)(v, from, end)
	}
	return end
}

func emitText(emit func(*[]byte) error, s string) error {
	b := []byte(s)
	return emit(&b)
}

func rawSize(vals []driver.Value) int {
	n := 0
	for _, v := range vals {
		if b, ok := v.([]byte); ok {
			n += len(b)
		}
	}
	return n
}

// tooBig explains a row that fits no statement the server accepts.
func tooBig(t *table, vals []driver.Value, lits []int, total int, lim limits, why string) error {
	longest := 0
	for i := range lits {
		if lits[i] > lits[longest] {
			longest = i
		}
	}
	size := 0
	if b, ok := vals[longest].([]byte); ok {
		size = len(b)
	}
	need := roundUp(int64(total+packetMargin), 1<<20)
	fix := fmt.Sprintf("raise max_allowed_packet to at least %s (SET GLOBAL max_allowed_packet = %d, and max_allowed_packet under [mysqld] in my.cnf; the most is 1G)", mib(need), need)
	if why == noKey {
		fix = "give " + qi(t.name) + " a primary key, or " + fix
	}
	return fmt.Errorf("table %s column %s: a value of %s makes a statement of %s, more than the server's max_allowed_packet (%s), and %s: %s; no backup was written",
		qi(t.name), qi(t.cols[longest].name), mib(int64(size)), mib(int64(total)), mib(int64(lim.server+packetMargin)), why, fix)
}

func roundUp(n, to int64) int64 { return (n + to - 1) / to * to }

func mib(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	return units.Size(n)
}
