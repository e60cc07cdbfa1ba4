package dump

import (
	"encoding/binary"
	"math/bits"
)

// Hand-written SQL quoting for the hot path: everything appends to a
// []byte, nothing allocates per value.

// quoteIdent appends name in backticks, doubling any backtick inside.
func quoteIdent(b []byte, name string) []byte {
	b = append(b, '`')
	for i := 0; i < len(name); i++ {
		if name[i] == '`' {
			b = append(b, '`')
		}
		b = append(b, name[i])
	}
	return append(b, '`')
}

// qi is quoteIdent returning a string, for schema statements.
func qi(name string) string { return string(quoteIdent(nil, name)) }

// escapes maps a byte to the letter after the backslash, or 0 when the
// byte is written as is. The set is mysqldump's: NUL, \n, \r, \\, ', ",
// and 0x1A (Ctrl-Z, end of file on Windows).
var escapes = func() (t [256]byte) {
	t[0] = '0'
	t['\n'] = 'n'
	t['\r'] = 'r'
	t['\\'] = '\\'
	t['\''] = '\''
	t['"'] = '"'
	t[0x1A] = 'Z'
	return
}()

// appendEscaped appends v inside single quotes, escaped. It looks at 8
// bytes at a time for the next byte that may need an escape and copies the
// span before it whole, so a long TEXT value costs little more than its
// copy (issue 19: the wide shape). The output is the same as escaping byte
// by byte.
func appendEscaped(b []byte, v []byte) []byte {
	b = append(b, '\'')
	start, i := 0, 0
	for i+8 <= len(v) {
		m := escapeMask(binary.LittleEndian.Uint64(v[i:]))
		if m == 0 {
			i += 8
			continue
		}
		j := i + bits.TrailingZeros64(m)>>3
		if e := escapes[v[j]]; e != 0 { // not so for a tab or another control byte
			b = append(b, v[start:j]...)
			b = append(b, '\\', e)
			start = j + 1
		}
		i = j + 1
	}
	for ; i < len(v); i++ {
		if e := escapes[v[i]]; e != 0 {
			b = append(b, v[start:i]...)
			b = append(b, '\\', e)
			start = i + 1
		}
	}
	b = append(b, v[start:]...)
	return append(b, '\'')
}

const (
	ones8 = 0x0101010101010101
	high8 = 0x8080808080808080
)

// escapeMask is 0 when none of the 8 bytes in x (little-endian) is below
// 0x20 (NUL, \n, \r, Ctrl-Z and the other control bytes) or is ', " or \.
// Otherwise its lowest set bit is the high bit of the first such byte;
// higher bits may be wrong (borrows run upwards from that byte). These are
// the "haszero" and "hasless" tricks of Bit Twiddling Hacks.
func escapeMask(x uint64) uint64 {
	below := (x - ones8*0x20) &^ x
	q := x ^ (ones8 * '\'')
	dq := x ^ (ones8 * '"')
	bs := x ^ (ones8 * '\\')
	eq := (q-ones8)&^q | (dq-ones8)&^dq | (bs-ones8)&^bs
	return (below | eq) & high8
}

const hexDigits = "0123456789ABCDEF"

// appendHex appends v as a hex literal 0x...; an empty value is ”.
func appendHex(b []byte, v []byte) []byte {
	if len(v) == 0 {
		return append(b, '\'', '\'')
	}
	b = append(b, '0', 'x')
	for _, c := range v {
		b = append(b, hexDigits[c>>4], hexDigits[c&15])
	}
	return b
}

// quoteString quotes a string literal for schema statements.
func quoteString(s string) string { return string(appendEscaped(nil, []byte(s))) }
