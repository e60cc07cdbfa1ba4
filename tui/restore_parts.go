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
// backup (issue 17). A file with a choice to make opens the picker first
// (restore_pick.go); the plan of the picked databases and accounts then
// lists every database it replaces, each with its safety backup, and the
// accounts; the user types what the command line asks for: the one
// database's name, or the list of them all.
func (t backupsTab) askRestoreParts(msg restorePlanMsg) tea.Cmd {
	if msg.picked == nil && needsPick(msg.plan) {
		return t.pickParts(msg)
	}
	p, b, name := msg.plan, t.b, msg.name
	var opts engine.RestoreOptions
	if msg.picked != nil {
		opts = *msg.picked
	}
	opts.AcceptUnterminated = p.Unterminated
	lines := []string{"Restore " + name, fmt.Sprintf("into %s:", plural(len(p.Parts.Databases), "database"))}
	for _, d := range p.Parts.Databases {
		lines = append(lines, partLine(d))
	}
	if len(p.Parts.Skipped) > 0 {
		lines = append(lines, "Left alone: "+strings.Join(p.Parts.Skipped, ", ")+".")
	}
	lines = append(lines, accountLines(p.Parts)...)
	if p.Mode == engine.ModeSwap {
		lines = append(lines, "By swap: each database loads into its own copy while all keep serving, then each swaps in, one after the other.")
	} else if p.ModeReason != "" { // each database in place, not by swap (issue 18)
		lines = append(lines, "In place, not by swap: "+p.ModeReason+".")
	}
	for _, w := range p.Warnings {
		lines = append(lines, "! "+w)
	}
	run := runJob(jobSpec{kind: "restore", title: "restore " + name + " into " + p.Database, finish: true,
		run: func(ctx context.Context, fn progress.Func) (string, error) {
			res, err := b.Restore(ctx, name, opts, fn)
			if err != nil {
				return "", fmt.Errorf("restore %s: %w", name, err)
			}
			return fmt.Sprintf("restored %s into %s: %s statements in %s%s", name, res.Database, count(res.Statements), shortDur(res.Duration), partsDoneNote(res)), nil
		}})
	return ask(confirm{title: "Restore " + name + "?", lines: lines, typed: p.Database, onYes: run})
}

// partLine says what happens to one database of the plan.
func partLine(d engine.DatabasePlan) string {
	line := "  " + d.Target
	if d.Target != d.Source {
		line += " (from " + d.Source + ")"
	}
	switch {
	case !d.Exists:
		line += ": created from the backup"
	case d.Mode == engine.ModeSwap:
		line += fmt.Sprintf(": %s replaced by swap, the old ones kept", plural(len(d.Tables), "table"))
	case d.SafetyBackup:
		line += fmt.Sprintf(": %s replaced, safety backup first", plural(len(d.Tables), "table"))
	default:
		line += fmt.Sprintf(": %s replaced, NO safety backup", plural(len(d.Tables), "table"))
	}
	if len(d.References) > 0 {
		line += "; names " + strings.Join(d.References, ", ") + " (kept as written)"
	}
	return line
}

// accountLines name the accounts the restore creates and the ones it
// leaves alone (nil without accounts in the plan: the plan's warning says
// the file's are not restored); never a password.
func accountLines(p *engine.PartsPlan) []string {
	var create, exist []string
	for _, a := range p.Accounts {
		if a.Exists {
			exist = append(exist, a.Name)
		} else {
			create = append(create, a.Name)
		}
	}
	var out []string
	if len(create) > 0 {
		out = append(out, fmt.Sprintf("Accounts created: %s.", nameList(create)))
	}
	if len(exist) > 0 {
		out = append(out, fmt.Sprintf("Accounts already here, left as they are: %s.", nameList(exist)))
	}
	return out
}

// partsDoneNote is what a finished whole-server restore adds: the safety
// backups, and the accounts it created and left alone.
func partsDoneNote(res engine.RestoreResult) string {
	if res.Parts == nil {
		return ""
	}
	var note string
	for _, d := range res.Parts.Databases {
		if d.SafetyBackup != "" {
			note += fmt.Sprintf("; safety backup of %s: %s", d.Target, d.SafetyBackup)
		}
		if d.Previous != "" {
			note += fmt.Sprintf("; %s swapped in %d ms, its old tables kept in %s", d.Target, d.SwapWindow.Milliseconds(), d.Previous)
		}
	}
	if len(res.Parts.Created)+len(res.Parts.Existing) > 0 {
		note += fmt.Sprintf("; %s created, %d left as they were", plural(len(res.Parts.Created), "account"), len(res.Parts.Existing))
	}
	return note
}
