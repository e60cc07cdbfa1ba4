package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// projectPruneMsg carries the dry run of a project prune.
type projectPruneMsg struct {
	id, name string
	res      engine.ProjectPruneResult
	err      error
}

// planPrune asks the engine which of project p's backups a prune removes
// (issue 13 item 10): the backups beyond projects.keep.
func (t projectsTab) planPrune(p engine.ProjectInfo) tea.Cmd {
	if c := t.allowed(engine.ActionProjectPrune); c != nil {
		return c
	}
	ctx, b, id, name := t.ctx, t.b, p.ID, p.Name
	return func() tea.Msg {
		res, err := b.ProjectPrune(ctx, id, engine.ProjectPruneOptions{DryRun: true})
		return projectPruneMsg{id: id, name: name, res: res, err: err}
	}
}

// askPrune shows exactly the files that go, and removes only those.
func (t projectsTab) askPrune(msg projectPruneMsg) tea.Cmd {
	if msg.err != nil {
		return fail(fmt.Errorf("project %s prune: %w", msg.id, msg.err))
	}
	plan, id := msg.res, msg.id
	if len(plan.Deleted) == 0 {
		return say(fmt.Sprintf("nothing to prune: project %s has %s and projects.keep is %d", id, plural(plan.Total, "backup"), plan.Keep))
	}
	ctx, b, want := t.ctx, t.b, append([]string{}, plan.Deleted...)
	run := func() tea.Msg {
		res, err := b.ProjectPrune(ctx, id, engine.ProjectPruneOptions{Only: want})
		if err != nil {
			return actionDoneMsg{err: fmt.Errorf("project %s prune: %w", id, err)}
		}
		text := fmt.Sprintf("pruned %s of project %s", plural(len(res.Deleted), "backup"), id)
		if !sameSet(res.Deleted, want) {
			text += " (the directory changed since the list was shown)"
		}
		return actionDoneMsg{text: text}
	}
	lines := []string{fmt.Sprintf("Project %s (%s) has %s; projects.keep keeps the newest %d.", id, orDash(msg.name), plural(plan.Total, "backup"), plan.Keep),
		"These files are removed for good:"}
	return ask(confirm{title: "Prune old backups of project " + id + "?", lines: lines, items: plan.Deleted, onYes: run})
}
