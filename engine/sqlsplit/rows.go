package sqlsplit

// CountRows returns the number of row tuples in an INSERT or REPLACE ...
// VALUES statement (0 for INSERT ... SELECT or anything else), assuming
// backslash escapes in strings. verify uses it to compare a stream's rows
// with a manifest.
func CountRows(insert []byte) int { return countRows(insert, false) }

var rowSpecial [256]bool

func init() {
	for _, c := range "'\"`()," {
		rowSpecial[c] = true
	}
}

// countRows finds the VALUES keyword outside quotes, then counts the
// parenthesised tuples that follow it at depth 0, stopping at the first
// other token (ON DUPLICATE KEY UPDATE, RETURNING, ...).
func countRows(b []byte, noBackslash bool) int {
	i := valuesEnd(b, noBackslash)
	if i < 0 {
		return 0
	}
	rows, depth := 0, 0
	for i < len(b) {
		if depth > 0 {
			for i < len(b) && !rowSpecial[b[i]] {
				i++
			}
			if i >= len(b) {
				break
			}
		}
		c := b[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(b, i, noBackslash)
			continue
		case c == '(':
			if depth == 0 {
				rows++
			}
			depth++
		case c == ')':
			depth--
		case depth == 0 && c != ',' && !isSpace(c):
			return rows
		}
		i++
	}
	return rows
}

// EachTuple calls fn with every parenthesised row tuple after the VALUES
// keyword of an INSERT, as written, stopping at the first other token (ON
// DUPLICATE KEY …): verify digests the rows of a file with it.
func EachTuple(b []byte, noBackslash bool, fn func([]byte)) {
	i := valuesEnd(b, noBackslash)
	if i < 0 {
		return
	}
	depth, start := 0, 0
	for i < len(b) {
		c := b[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(b, i, noBackslash)
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

// valuesEnd returns the index just after a VALUES/VALUE keyword that sits
// outside quotes and parentheses, or -1.
func valuesEnd(b []byte, noBackslash bool) int {
	depth := 0
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(b, i, noBackslash)
			continue
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (c == 'V' || c == 'v') && (i == 0 || !isWordByte(b[i-1])):
			j := i
			for j < len(b) && isWordByte(b[j]) {
				j++
			}
			if w := upper(b[i:j]); w == "VALUES" || w == "VALUE" {
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
// Backticks never take backslash escapes.
func skipQuoted(b []byte, i int, noBackslash bool) int {
	q := b[i]
	backslash := q != '`' && !noBackslash
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			if backslash {
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
