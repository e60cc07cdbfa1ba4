package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
)

// activityLimit is how many audit entries the tab reads.
const activityLimit = 500

// activityTab shows the audit log, newest first.
type activityTab struct {
	env
	keys    activityKeys
	entries []audit.Entry
	loaded  bool
	loadErr error
	table   listTable
}

func newActivityTab(e env) activityTab {
	return activityTab{env: e, keys: newActivityKeys(), table: listTable{cols: []column{
		{title: "TIME", width: 16},
		{title: "USER", width: 6, drop: 3},
		{title: "ACTION", width: 8},
		{title: "OBJECT", width: 10, drop: 2},
		{title: "RESULT", width: 6},
		{title: "DURATION", width: 8, right: true, drop: 1},
	}}}
}

func (t activityTab) load() tea.Cmd {
	ctx, b := t.ctx, t.b
	return func() tea.Msg {
		l, err := b.Activity(ctx, activityLimit)
		return activityLoadedMsg{l, err}
	}
}

func (t activityTab) update(msg tea.Msg) (activityTab, tea.Cmd) {
	switch msg := msg.(type) {
	case activityLoadedMsg:
		t.loaded = true
		if msg.err != nil {
			t.loadErr = msg.err
			return t, nil
		}
		t.entries, t.loadErr = msg.entries, nil
		rows := make([][]string, len(msg.entries))
		for i, e := range msg.entries {
			result := e.Result
			if e.Error != "" {
				result += ": " + e.Error
			}
			rows[i] = []string{stamp(e.Time.In(t.now().Location())), orDash(e.OSUser), e.Action, orDash(e.Object), result, shortDur(msDur(e.DurationMS))}
		}
		t.table.setRows(rows)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, t.keys.Up):
			t.table.move(-1)
		case key.Matches(msg, t.keys.Down):
			t.table.move(1)
		case key.Matches(msg, t.keys.Refresh):
			return t, t.load()
		}
	}
	return t, nil
}

func (t activityTab) view(width, height int) string {
	switch {
	case !t.loaded:
		return "  loading the audit log…"
	case t.loadErr != nil && len(t.entries) == 0:
		return errorBody(t.st, "could not read the audit log: ", t.loadErr, width)
	case len(t.entries) == 0:
		return "  nothing has happened yet"
	}
	return t.table.view(t.st, width, height)
}

func (t activityTab) help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	return []key.Binding{k.Refresh}, [][]key.Binding{{k.Up, k.Down, k.Refresh}}
}
