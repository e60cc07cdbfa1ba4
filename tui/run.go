package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// Run shows the screen until the user quits or ctx ends. Backups and
// verifies still running are cancelled with ctx (they leave no partial
// file); a running restore is allowed to finish, and Run waits for it.
func Run(ctx context.Context, b Backend, opts Options) error {
	if os.Getenv("NO_COLOR") != "" {
		opts.NoColor = true
	}
	if opts.RefreshEvery == 0 {
		opts.RefreshEvery = time.Minute
	}
	if opts.PingEvery == 0 {
		opts.PingEvery = DefaultPingEvery
	}
	if opts.ActivityEvery == 0 {
		opts.ActivityEvery = DefaultActivityEvery
	}
	m := New(ctx, b, opts)
	p := tea.NewProgram(m, tea.WithContext(ctx))
	// The driver's log would be written over the screen: while it is up,
	// a line only makes the screen re-check the connection.
	restoreLog := engine.RouteDriverLog(func(line string) { go p.Send(driverLogMsg{line}) })
	final, err := p.Run()
	restoreLog()
	if fm, ok := final.(Model); ok && fm.Busy() {
		fmt.Fprintln(os.Stderr, exitLine(fm.job))
	}
	m.jobs.Wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
