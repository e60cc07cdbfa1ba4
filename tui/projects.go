package tui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// projectsTab lists the projects; enter opens one to show its backups and
// the same actions as full backups (backup, restore with a plan, delete).
type projectsTab struct {
	env
	keys     projectsKeys
	projects []engine.ProjectInfo
	loaded   bool
	loadErr  error
	list     listTable

	open          *engine.ProjectInfo // the opened project, nil on the list
	backups       []engine.ProjectBackupInfo
	backupsLoaded bool
	backupsErr    error
	files         listTable
}

func newProjectsTab(e env) projectsTab {
	return projectsTab{env: e, keys: newProjectsKeys(),
		list: listTable{cols: []column{
			{title: "ID", width: 4},
			{title: "NAME", width: 12},
			{title: "BACKUPS", width: 7, right: true, drop: 2},
			{title: "LAST BACKUP", width: 16, drop: 1},
		}},
		files: listTable{cols: []column{
			{title: "NAME", width: 20},
			{title: "CREATED", width: 16, drop: 3},
			{title: "SIZE", width: 6, right: true, drop: 2},
			{title: "BY", width: 6, drop: 1},
		}},
	}
}

func (t projectsTab) load() tea.Cmd {
	ctx, b := t.ctx, t.b
	cmds := []tea.Cmd{func() tea.Msg { p, err := b.Projects(ctx); return projectsLoadedMsg{p, err} }}
	if t.open != nil {
		cmds = append(cmds, t.loadBackups(t.open.ID))
	}
	return tea.Batch(cmds...)
}

func (t projectsTab) loadBackups(id string) tea.Cmd {
	ctx, b := t.ctx, t.b
	return func() tea.Msg {
		l, err := b.ProjectBackups(ctx, id)
		return projectBackupsLoadedMsg{id: id, backups: l, err: err}
	}
}

// wantsEsc is true when esc means "back to the list".
func (t projectsTab) wantsEsc() bool { return t.open != nil }

func (t projectsTab) update(msg tea.Msg) (tab, tea.Cmd) {
	switch msg := msg.(type) {
	case projectsLoadedMsg:
		t.loaded = true
		if msg.err != nil {
			t.loadErr = msg.err
			return t, nil
		}
		t.projects, t.loadErr = msg.projects, nil
		rows := make([][]string, len(msg.projects))
		for i, p := range msg.projects {
			last := "never"
			if !p.LastBackup.IsZero() {
				last = stamp(p.LastBackup.In(t.now().Location()))
			}
			name := p.Name
			if p.Missing { // listed from its backups: its rows were deleted
				name += " (not in the database)"
			}
			rows[i] = []string{p.ID, name, strconv.Itoa(p.Backups), last}
		}
		t.list.setRows(rows)
	case projectBackupsLoadedMsg:
		if t.open == nil || msg.id != t.open.ID {
			return t, nil
		}
		t.backupsErr = nil
		if msg.err != nil {
			t.backupsLoaded = true
			t.backupsErr = msg.err
			return t, nil
		}
		t.setBackups(msg.backups)
	case projectPlanMsg:
		return t, t.askRestore(msg)
	case projectPruneMsg:
		return t, t.askPrune(msg)
	case tea.KeyPressMsg:
		if t.open != nil {
			return t.fileKey(msg)
		}
		return t.listKey(msg)
	}
	return t, nil
}

func (t *projectsTab) setBackups(l []engine.ProjectBackupInfo) {
	t.backups, t.backupsLoaded = l, true
	rows := make([][]string, len(l))
	for i, b := range l {
		by := b.CreatedBy
		if by == "" {
			by = "-"
		}
		if b.State != "" && b.State != "complete" {
			by = b.State // no manifest, or it does not match: restore refuses it
		}
		rows[i] = []string{b.Filename, stamp(b.CreatedAt.In(t.now().Location())), size(b.Size), by}
	}
	t.files.setRows(rows)
}

func (t projectsTab) listKey(k tea.KeyPressMsg) (projectsTab, tea.Cmd) {
	switch {
	case key.Matches(k, t.keys.Up):
		t.list.move(-1)
	case key.Matches(k, t.keys.Down):
		t.list.move(1)
	case key.Matches(k, t.keys.Refresh):
		return t, t.load()
	case len(t.projects) == 0:
		return t, nil
	case key.Matches(k, t.keys.Open):
		p := t.projects[t.list.cursor]
		t.open, t.backups, t.backupsLoaded = &p, nil, false
		t.files.cursor = 0
		return t, t.loadBackups(p.ID)
	case key.Matches(k, t.keys.Backup):
		return t, t.startBackup(t.projects[t.list.cursor])
	case key.Matches(k, t.keys.Prune):
		return t, t.planPrune(t.projects[t.list.cursor])
	}
	return t, nil
}

func (t projectsTab) fileKey(k tea.KeyPressMsg) (projectsTab, tea.Cmd) {
	p := *t.open
	switch {
	case key.Matches(k, t.keys.Back):
		t.open = nil
	case key.Matches(k, t.keys.Up):
		t.files.move(-1)
	case key.Matches(k, t.keys.Down):
		t.files.move(1)
	case key.Matches(k, t.keys.Refresh):
		return t, t.load()
	case key.Matches(k, t.keys.Backup):
		return t, t.startBackup(p)
	case key.Matches(k, t.keys.Prune):
		return t, t.planPrune(p)
	case len(t.backups) == 0:
		return t, nil
	case key.Matches(k, t.keys.Restore):
		return t, t.planRestore(p, t.backups[t.files.cursor].Filename)
	case key.Matches(k, t.keys.Delete):
		return t, t.askDelete(p, t.backups[t.files.cursor].Filename)
	}
	return t, nil
}
