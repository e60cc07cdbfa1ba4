// Command lifeboat backs up and restores MySQL and MariaDB databases. With
// no subcommand it opens the terminal UI; every screen action is also a
// subcommand for cron and scripts. See `lifeboat help`.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
