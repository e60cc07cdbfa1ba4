package tui

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

func (t projectsTab) startBackup(p engine.ProjectInfo) tea.Cmd {
	if c := t.allowed(engine.ActionProjectBackup); c != nil {
		return c
	}
	b, id := t.b, p.ID
	return runJob(jobSpec{kind: "project backup", title: fmt.Sprintf("backup of project %s (%s)", p.ID, p.Name),
		run: func(ctx context.Context, fn progress.Func) (string, error) {
			res, err := b.ProjectBackup(ctx, id, fn)
			if err != nil {
				return "", fmt.Errorf("project %s backup: %w", id, err)
			}
			return fmt.Sprintf("project %s backup %s done: %s in %s", id, res.Filename, size(res.Size), shortDur(res.Duration)), nil
		}})
}

func (t projectsTab) planRestore(p engine.ProjectInfo, name string) tea.Cmd {
	if c := t.allowed(engine.ActionProjectRestore); c != nil {
		return c
	}
	ctx, b, id := t.ctx, t.b, p.ID
	return func() tea.Msg {
		plan, err := b.PlanProjectRestore(ctx, id, name)
		return projectPlanMsg{plan: plan, id: id, name: name, err: err}
	}
}

// askRestore shows the dry-run plan, table by table, and asks for the
// project's name to be typed.
func (t projectsTab) askRestore(msg projectPlanMsg) tea.Cmd {
	if msg.err != nil {
		return fail(fmt.Errorf("project %s restore %s: %w", msg.id, msg.name, msg.err))
	}
	p, b, id, name := msg.plan, t.b, msg.id, msg.name
	proj := p.ProjectName
	if proj == "" {
		proj = id
	}
	lines := []string{
		fmt.Sprintf("project  %s (%s)", id, proj),
		fmt.Sprintf("backup   %s", name),
		fmt.Sprintf("taken    %s by %s", stamp(p.CreatedAt.In(t.now().Location())), orDash(p.CreatedBy)),
		"", "Rows of this project, table by table:"}
	notes := []string{"", safetyNote(p, id)}
	if why := typeWhy(p, proj); why != "" {
		notes = append(notes, why)
	}
	for _, d := range p.Drift {
		notes = append(notes, "! schema: "+d)
	}
	for _, w := range append(append([]string{}, p.Triggers...), p.Warnings...) {
		notes = append(notes, "! "+w)
	}
	run := runJob(jobSpec{kind: "project restore", title: "restore project " + id + " from " + name, finish: true,
		run: func(ctx context.Context, fn progress.Func) (string, error) {
			res, err := b.ProjectRestore(ctx, id, name, engine.ProjectRestoreOptions{}, fn)
			if err != nil {
				return "", fmt.Errorf("project %s restore %s: %w", id, name, err)
			}
			var rows int64
			for _, n := range res.Restored {
				rows += n
			}
			text := fmt.Sprintf("restored project %s from %s: %s rows in %s", id, name, count(rows), plural(len(res.Restored), "table"))
			if res.SafetyBackup != "" {
				text += "; safety backup " + res.SafetyBackup
			} else {
				text += "; it had no rows before, so there was nothing to back up"
			}
			return text, nil
		}})
	return ask(confirm{title: "Restore project " + proj + "?", lines: lines, table: planTable(t.st, p.Tables), notes: notes, typed: proj, onYes: run})
}

// planTable renders, per table, the rows the restore deletes (not in the
// backup), inserts (missing now), updates (there and different) and
// leaves unchanged.
func planTable(st Styles, tables []engine.TablePlan) []string {
	const row = "  %-22s %8s %8s %8s %9s"
	out := []string{"  " + st.ColHeader.Render(fmt.Sprintf(row[2:], "TABLE", "DELETE", "INSERT", "UPDATE", "UNCHANGED"))}
	var del, ins, upd, same int64
	for _, tp := range tables {
		out = append(out, fmt.Sprintf(row, tp.Table, count(tp.Deletes()), count(tp.Inserts()), count(tp.Updates()), count(tp.Unchanged)))
		del, ins, upd, same = del+tp.Deletes(), ins+tp.Inserts(), upd+tp.Updates(), same+tp.Unchanged
	}
	return append(out, fmt.Sprintf(row, "total", count(del), count(ins), count(upd), count(same)))
}

func (t projectsTab) askDelete(p engine.ProjectInfo, name string) tea.Cmd {
	if c := t.allowed(engine.ActionProjectDelete); c != nil {
		return c
	}
	ctx, b, id := t.ctx, t.b, p.ID
	del := func() tea.Msg {
		if err := b.ProjectDelete(ctx, id, name); err != nil {
			return actionDoneMsg{err: fmt.Errorf("delete project %s backup %s: %w", id, name, err)}
		}
		return actionDoneMsg{text: "deleted " + name}
	}
	return ask(confirm{title: "Delete this project backup?", lines: []string{"This file is removed for good:"},
		items: []string{name}, onYes: del})
}

func (t projectsTab) view(width, height int) string {
	if t.open == nil {
		switch {
		case !t.loaded:
			return "  loading projects…"
		case errors.Is(t.loadErr, engine.ErrProjectsOff):
			return projectsOffBody
		case t.loadErr != nil && len(t.projects) == 0:
			return errorBody(t.st, "could not read the projects: ", t.loadErr, width)
		case len(t.projects) == 0:
			return "  no projects found (is [projects] set in the config?)"
		}
		return t.list.view(t.st, width, height)
	}
	head := fmt.Sprintf("  project %s  %s  %s", engine.Printable(t.open.ID), t.st.Title.Render(engine.Printable(t.open.Name)), plural(len(t.backups), "backup"))
	if t.open.Missing {
		head += "  " + t.st.Warn.Render("not in the database: r puts it back")
	}
	head = lipgloss.NewStyle().MaxWidth(width).Render(head)
	switch {
	case !t.backupsLoaded:
		return head + "\n  loading backups…"
	case t.backupsErr != nil:
		return head + "\n" + errorBody(t.st, "could not read its backups: ", t.backupsErr, width)
	case len(t.backups) == 0:
		return head + "\n  no backups of this project yet: press b to take one"
	}
	return head + "\n" + t.files.view(t.st, width, height-1)
}

func (t projectsTab) help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	if t.open != nil {
		return []key.Binding{k.Backup, k.Restore, k.Delete, k.Prune, k.Back},
			[][]key.Binding{{k.Up, k.Down, k.Refresh}, {k.Backup, k.Restore, k.Delete, k.Prune, k.Back}}
	}
	return []key.Binding{k.Open, k.Backup, k.Prune}, [][]key.Binding{{k.Up, k.Down, k.Open}, {k.Backup, k.Prune, k.Refresh}}
}
