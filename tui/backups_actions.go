package tui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// planRestore asks the engine what a restore of name would do; the answer
// (restorePlanMsg) opens the typed-name confirmation.
func (t backupsTab) planRestore(name string) tea.Cmd {
	if c := t.allowed(engine.ActionRestore); c != nil {
		return c
	}
	ctx, b := t.ctx, t.b
	return func() tea.Msg {
		plan, err := b.PlanRestore(ctx, name, engine.RestoreOptions{})
		return restorePlanMsg{plan: plan, name: name, err: err}
	}
}

func (t backupsTab) askRestore(msg restorePlanMsg) tea.Cmd {
	if msg.err != nil {
		return fail(fmt.Errorf("restore %s: %w", msg.name, msg.err))
	}
	if msg.plan.Parts != nil { // several databases (restore_parts.go)
		return t.askRestoreParts(msg)
	}
	p, b, name := msg.plan, t.b, msg.name
	db := p.Database
	if db == "" {
		db = t.dbName
	}
	lines := []string{"Restore " + name, "into database " + db + "."}
	// The plan's warnings below say "this is a backup of database X" and
	// that a file without a completion line cannot be proven complete:
	// typing the name confirms the target and those.
	opts := engine.RestoreOptions{Into: db, AcceptUnterminated: p.Unterminated}
	lines = append(lines, restoreWhat(p, db)...)
	if p.Encrypted {
		lines = append(lines, capitalize(p.Identity)+".")
	}
	lines = append(lines, restoreSafetyLine(p, db))
	for _, w := range p.Warnings {
		lines = append(lines, "! "+w)
	}
	run := runJob(jobSpec{kind: "restore", title: "restore " + name + " into " + db, finish: true,
		run: func(ctx context.Context, fn progress.Func) (string, error) {
			res, err := b.Restore(ctx, name, opts, fn)
			if err != nil {
				return "", fmt.Errorf("restore %s: %w", name, err)
			}
			text := fmt.Sprintf("restored %s into %s: %s statements in %s", name, res.Database, count(res.Statements), shortDur(res.Duration))
			return text + restoreDoneNote(res), nil
		}})
	return ask(confirm{title: "Restore " + name + "?", lines: lines, typed: db, onYes: run})
}

func (t backupsTab) askDelete(name string) tea.Cmd {
	if c := t.allowed(engine.ActionDelete); c != nil {
		return c
	}
	ctx, b := t.ctx, t.b
	del := func() tea.Msg {
		if err := b.Delete(ctx, name); err != nil {
			return actionDoneMsg{err: fmt.Errorf("delete %s: %w", name, err)}
		}
		return actionDoneMsg{text: "deleted " + name}
	}
	return ask(confirm{title: "Delete this backup?", lines: []string{"This file and its manifest are removed for good:"},
		items: []string{name}, onYes: del})
}

// planPrune runs prune as a dry run first; the answer lists the files.
func (t backupsTab) planPrune() tea.Cmd {
	if c := t.allowed(engine.ActionPrune); c != nil {
		return c
	}
	ctx, b := t.ctx, t.b
	return func() tea.Msg {
		res, err := b.Prune(ctx, engine.PruneOptions{DryRun: true})
		return prunePlanMsg{res: res, err: err}
	}
}

func (t backupsTab) askPrune(msg prunePlanMsg) tea.Cmd {
	if msg.err != nil {
		return fail(fmt.Errorf("prune: %w", msg.err))
	}
	plan := msg.res
	if len(plan.Deleted) == 0 && remoteCount(plan) == 0 {
		return say(nothingToPrune(plan))
	}
	ctx, b, want := t.ctx, t.b, plan.Deleted
	run := func() tea.Msg {
		res, err := b.Prune(ctx, engine.PruneOptions{Keep: plan.Keep, Only: append([]string{}, want...), RemoteOnly: plan.RemoteDeleted()})
		if err != nil {
			return actionDoneMsg{err: fmt.Errorf("prune: %w", err)}
		}
		text := fmt.Sprintf("pruned %s, %s freed", plural(len(res.Deleted), "backup"), size(res.SpaceFreed))
		if !sameSet(res.Deleted, want) {
			text += " (the directory changed since the list was shown)"
		}
		return actionDoneMsg{text: text}
	}
	lines := []string{pruneHeadline(plan)}
	lines = append(lines, remotePruneLines(plan)...)
	return ask(confirm{title: "Prune old backups?", lines: lines, items: plan.Deleted, notes: pruneNotes(plan), onYes: run})
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return true
}
