// Command lifeboat backs up and restores MySQL and MariaDB databases. With
// no subcommand it opens the terminal UI; every screen action is also a
// subcommand for cron and scripts. See `lifeboat help`.
package main

import (
	"os"
	"runtime/debug"
)

// softMemoryLimit keeps the Go heap near its live data (a few MB-sized
// buffers while a dump or restore streams): without it the collector lets
// garbage double the heap, which put peak RSS near the 150 MB budget on
// the bench dataset; 80 MiB cut it by about 20% at no measurable cost.
const softMemoryLimit = 80 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	stop := startProfile()
	code := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
