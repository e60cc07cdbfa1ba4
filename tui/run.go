package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"
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
	m := New(ctx, b, opts)
	final, err := tea.NewProgram(m, tea.WithContext(ctx)).Run()
	if fm, ok := final.(Model); ok && fm.Busy() {
		fmt.Fprintf(os.Stderr, "lifeboat: waiting for the %s to finish…\n", fm.job.spec.kind)
	}
	m.jobs.Wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
