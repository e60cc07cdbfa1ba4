package engine

import "github.com/lifeboat-dev/lifeboat/engine/safetext"

// Printable returns s safe to write to a terminal: control characters in
// it are shown visibly (`\n`, `\x1b`, `\u202e`). Anything that came out of
// a database or a backup file (table, project and user names, errors
// quoting them, manifest and audit fields, file names) is data, never
// terminal control: the screen and the command line pass every such
// string through here before showing it. JSON output does not need it.
// See safetext.Printable for exactly what is escaped.
func Printable(s string) string { return safetext.Printable(s) }
