package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// env is what every tab shares: the backend, styles and clock. It is
// copied by value into tabs and Cmds.
type env struct {
	ctx    context.Context
	b      Backend
	st     Styles
	now    func() time.Time
	dbName string
}

// allowed checks the access rules before an action; the Cmd says why not.
func (e env) allowed(action engine.Action) tea.Cmd {
	if err := e.b.Allowed(action); err != nil {
		return fail(fmt.Errorf("%s refused: %w", action, err))
	}
	return nil
}
