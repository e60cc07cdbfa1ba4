package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// Undo on the screen (issue 18): a swap restore keeps the tables it
// replaced on the server; u in the Full backups tab swaps them back, as
// `lifeboat restore --undo` does, after the same typed confirmation.

// undoPlanMsg is the engine's answer to PlanUndo.
type undoPlanMsg struct {
	plan engine.UndoPlan
	err  error
}

// planUndo asks the engine which kept state an undo would bring back.
func (t backupsTab) planUndo() tea.Cmd {
	if c := t.allowed(engine.ActionRestore); c != nil {
		return c
	}
	ctx, b := t.ctx, t.b
	db := "" // database.name; with database.names, the one the kept state shown is of
	if t.status != nil && len(t.status.Previous) > 0 {
		db = t.status.Previous[0].Database
	}
	return func() tea.Msg {
		plan, err := b.PlanUndo(ctx, db)
		return undoPlanMsg{plan: plan, err: err}
	}
}

// askUndo opens the confirmation: typing the database's name runs the undo.
func (t backupsTab) askUndo(msg undoPlanMsg) tea.Cmd {
	if msg.err != nil {
		return fail(msg.err)
	}
	p, b := msg.plan, t.b
	lines := []string{
		fmt.Sprintf("Database %s gets back the tables the last swap restore kept:", p.Database),
		fmt.Sprintf("  %s from %s, in one RENAME.", plural(len(p.Tables), "table"), p.From),
		"The tables live now are kept in a new schema in their turn;",
		"a second undo swaps them back.",
	}
	run := runJob(jobSpec{kind: "restore", title: "undo of the last restore of " + p.Database, finish: true,
		run: func(ctx context.Context, _ progress.Func) (string, error) {
			res, err := b.Undo(ctx, p.Database)
			if err != nil {
				return "", err
			}
			text := fmt.Sprintf("undone: %s holds the tables kept in %s again (swapped in %d ms); the replaced ones are kept in %s",
				res.Database, res.From, res.SwapWindow.Milliseconds(), res.Previous)
			if res.Note != "" {
				text += "; warning: " + res.Note
			}
			return text, nil
		}})
	return ask(confirm{title: "Undo the last restore of " + p.Database + "?", lines: lines, typed: p.Database, onYes: run})
}

// keptLine is the strip's line about the newest kept state, "" when a
// swap restore kept none.
func (t backupsTab) keptLine(s *engine.Status, width int) string {
	if len(s.Previous) == 0 {
		return ""
	}
	k := s.Previous[0]
	line := engine.Printable(fmt.Sprintf("previous: %s, %s · u puts it back", k.Name, size(k.Bytes)))
	return "  " + t.st.Muted.Render(ansi.Truncate(line, max(10, width-2), "…"))
}
