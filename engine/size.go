package engine

import "github.com/lifeboat-dev/lifeboat/engine/units"

// FormatSize prints a size as everything in lifeboat does ("2.4 MB"): the
// screen and the command line call it, never go-humanize themselves.
func FormatSize(n int64) string { return units.Size(n) }
