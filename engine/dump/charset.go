package dump

// Where a long text value may be cut into pieces: a piece must end on a
// character boundary, or the server would store a broken character (or,
// in strict mode, refuse the piece). Binary values cut anywhere.

// cutter returns the largest boundary b with start <= b <= end < len(v),
// given that start is a boundary; nil means the charset is unknown here and
// its values are never cut.
type cutter func(v []byte, start, end int) int

func cutterFor(col column) cutter {
	if col.kind == kindBinary {
		return cutAnywhere
	}
	if col.kind != kindString {
		return nil // numbers are short; BIT and spatial values cannot be cut
	}
	switch col.charset {
	case "", "utf8mb4", "utf8mb3", "utf8":
		return cutUTF8
	case "ascii", "latin1", "latin2", "latin5", "latin7", "cp1250", "cp1251", "cp1256", "cp1257",
		"cp850", "cp852", "cp866", "dec8", "hp8", "koi8r", "koi8u", "swe7", "armscii8", "keybcs2",
		"macce", "macroman", "geostd8", "greek", "hebrew", "tis620", "binary":
		return cutAnywhere
	case "ucs2":
		return cutFixed(2)
	case "utf32":
		return cutFixed(4)
	case "utf16":
		return cutUTF16(0)
	case "utf16le":
		return cutUTF16(1)
	case "euckr", "gb2312", "gbk", "big5":
		return cutForward(leadDouble)
	case "sjis", "cp932":
		return cutForward(leadSJIS)
	case "ujis", "eucjpms":
		return cutForward(leadEUCJP)
	case "gb18030":
		return cutForward(leadGB18030)
	}
	return nil
}

func cutAnywhere(v []byte, start, end int) int { return end }

// cutUTF8 backs off over continuation bytes (10xxxxxx).
func cutUTF8(v []byte, start, end int) int {
	for end > start && end < len(v) && v[end]&0xC0 == 0x80 {
		end--
	}
	return end
}

func cutFixed(n int) cutter {
	return func(v []byte, start, end int) int { return start + (end-start)/n*n }
}

// cutUTF16 cuts on 2-byte units but never before a low surrogate (the
// second half of a pair); hi is the index of a unit's high byte (0 for
// big-endian utf16, 1 for utf16le).
func cutUTF16(hi int) cutter {
	return func(v []byte, start, end int) int {
		end = start + (end-start)/2*2
		if end > start && end+hi < len(v) && v[end+hi]&0xFC == 0xDC {
			end -= 2
		}
		return end
	}
}

// cutForward walks characters from start (a boundary) and returns the last
// boundary at or before end; width gives a character's length from its
// first bytes.
func cutForward(width func(v []byte, i int) int) cutter {
	return func(v []byte, start, end int) int {
		i := start
		for i < end {
			n := width(v, i)
			if i+n > end {
				break
			}
			i += n
		}
		return i
	}
}

// leadDouble: a byte 0x81..0xFE starts a two-byte character (EUC-KR,
// GB2312, GBK, Big5).
func leadDouble(v []byte, i int) int {
	if c := v[i]; c >= 0x81 && c <= 0xFE {
		return 2
	}
	return 1
}

// leadSJIS: 0x81..0x9F and 0xE0..0xFC start two bytes; half-width
// katakana (0xA1..0xDF) are one.
func leadSJIS(v []byte, i int) int {
	if c := v[i]; (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC) {
		return 2
	}
	return 1
}

// leadEUCJP: 0x8F starts three bytes (JIS X 0212), 0x8E and 0xA1..0xFE two.
func leadEUCJP(v []byte, i int) int {
	switch c := v[i]; {
	case c == 0x8F:
		return 3
	case c == 0x8E || (c >= 0xA1 && c <= 0xFE):
		return 2
	}
	return 1
}

// leadGB18030: 0x81..0xFE then a digit starts four bytes, else two.
func leadGB18030(v []byte, i int) int {
	c := v[i]
	if c < 0x81 || c > 0xFE {
		return 1
	}
	if i+1 < len(v) && v[i+1] >= 0x30 && v[i+1] <= 0x39 {
		return 4
	}
	return 2
}
