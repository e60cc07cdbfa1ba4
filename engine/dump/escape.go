package dump

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

// appendEscaped appends v inside single quotes, escaped.
func appendEscaped(b []byte, v []byte) []byte {
	b = append(b, '\'')
	start := 0
	for i, c := range v {
		if e := escapes[c]; e != 0 {
			b = append(b, v[start:i]...)
			b = append(b, '\\', e)
			start = i + 1
		}
	}
	b = append(b, v[start:]...)
	return append(b, '\'')
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
