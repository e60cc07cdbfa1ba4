package main

import (
	"context"
	"os"

	"github.com/lifeboat-dev/lifeboat/tui"
)

// runTUI opens the screen. Without a terminal it says to use a subcommand.
func runTUI(ctx context.Context, e *env) error {
	if !e.interactive || !isTerminal(e.stdout) {
		return usageErr("no terminal: the screen needs one. Use a subcommand instead, e.g. `lifeboat list` or `lifeboat backup` (see `lifeboat help`)")
	}
	if e.eng == nil {
		if err := e.openEngine(); err != nil {
			return err
		}
		defer e.eng.Close()
	}
	return tui.Run(ctx, e.eng, tui.Options{
		DatabaseName: e.eng.DatabaseLabel(), // "3 databases" for database.names (issue 17)
		ServerLabel:  e.eng.ServerLabel(),
		Location:     e.eng.Loc,
		NoColor:      os.Getenv("NO_COLOR") != "",
	})
}
