package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// askRestoreParts is the confirmation of a restore of a whole-server
// backup (issue 17): every database it replaces, each with its safety
// backup; the user types the list of databases. Accounts are restored
// from the command line (--accounts); the plan's warning says so.
func (t backupsTab) askRestoreParts(msg restorePlanMsg) tea.Cmd {
	p, b, name := msg.plan, t.b, msg.name
	lines := []string{"Restore " + name, fmt.Sprintf("into %s:", plural(len(p.Parts.Databases), "database"))}
	for _, d := range p.Parts.Databases {
		line := "  " + d.Target
		switch {
		case !d.Exists:
			line += ": created from the backup"
		case d.SafetyBackup:
			line += fmt.Sprintf(": %s replaced, safety backup first", plural(len(d.Tables), "table"))
		default:
			line += fmt.Sprintf(": %s replaced, NO safety backup", plural(len(d.Tables), "table"))
		}
		lines = append(lines, line)
	}
	if len(p.Parts.Skipped) > 0 {
		lines = append(lines, "Left alone: "+strings.Join(p.Parts.Skipped, ", ")+".")
	}
	if p.ModeReason != "" { // each database in place, not by swap (issue 18)
		lines = append(lines, "In place, not by swap: "+p.ModeReason+".")
	}
	for _, w := range p.Warnings {
		lines = append(lines, "! "+w)
	}
	opts := engine.RestoreOptions{AcceptUnterminated: p.Unterminated}
	run := runJob(jobSpec{kind: "restore", title: "restore " + name + " into " + p.Database, finish: true,
		run: func(ctx context.Context, fn progress.Func) (string, error) {
			res, err := b.Restore(ctx, name, opts, fn)
			if err != nil {
				return "", fmt.Errorf("restore %s: %w", name, err)
			}
			return fmt.Sprintf("restored %s into %s: %s statements in %s", name, res.Database, count(res.Statements), shortDur(res.Duration)), nil
		}})
	return ask(confirm{title: "Restore " + name + "?", lines: lines, typed: p.Database, onYes: run})
}
