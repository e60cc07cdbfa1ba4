// Package safetext makes text from a database or a backup file safe to
// show on a terminal. It is a leaf package, so that every part of the
// engine that draws text (the project tree, plans) can use it; the screen
// and the command line reach it as engine.Printable.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s safe to write to a terminal. Anything that came out
// of a database or a backup file (table, project and user names, errors
// quoting them, manifest and audit fields, file names) is data, never
// terminal control, so the screen and the command line pass every such
// string through here before showing it:
//
//   - \n, \r and \t become the two characters `\n`, `\r`, `\t`;
//   - every other C0 control, DEL and each byte that is not UTF-8 become
//     `\xNN` (ESC is `\x1b`, BEL `\x07`);
//   - C1 controls, the line and paragraph separators and the bidi
//     controls (which reorder what follows them) become `\uNNNN`.
//
// Backslashes are left alone, so ordinary text (paths, SQL) reads as it
// is. JSON output does not use this: encoding/json escapes on its own.
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape is the fast path: plain ASCII text is returned as it is.
func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			if c < 0x80 {
				return true
			}
			return !utf8.ValidString(s[i:]) || strings.IndexFunc(s[i:], unsafeRune) >= 0
		}
	}
	return false
}

// unsafeRune reports the non-ASCII runes a terminal treats as control:
// C1 controls, line and paragraph separators, and bidi controls.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}
