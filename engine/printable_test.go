package engine

import "testing"

func TestTrust16PrintableShowsControlsVisibly(t *testing.T) {
	for in, want := range map[string]string{
		"orders":                            "orders",
		"Åse 🚣 O'Brien \\ co":               "Åse 🚣 O'Brien \\ co",
		"\x1b]0;pwned\x07\x1b[2J\nrow":      `\x1b]0;pwned\x07\x1b[2J\nrow`,
		"a\rb\tc\x00d\x7f":                  `a\rb\tc\x00d\x7f`,
		"bad \xff utf8":                     `bad \xff utf8`,
		"c1 \u009b2J":                       `c1 \u009b2J`,
		"bidi \u202eevil\u2066 line\u2028x": `bidi \u202eevil\u2066 line\u2028x`,
		"é\x1b":                             `é\x1b`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
