// Package units is lifeboat's one way of printing a size (issue 13 item
// 11): SI units as go-humanize writes them ("2.4 MB", "41 GB"), the
// convention of the screen, the command line and DESIGN.md's sketches.
// The engine, its subpackages, the screen and the CLI all print sizes
// through Size, so one line never says MiB while another says MB.
package units

import "github.com/dustin/go-humanize"

// Size prints n bytes: "0 B", "81 kB", "2.4 MB". A negative n is 0.
func Size[T ~int | ~int64 | ~uint64](n T) string {
	if n < 0 {
		n = 0
	}
	return humanize.Bytes(uint64(n))
}
