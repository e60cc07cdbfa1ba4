package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// activityLimit is how many audit entries the tab reads.
const activityLimit = 500

// activityTab shows the audit log, newest first.
type activityTab struct {
	env
	keys    activityKeys
	entries []engine.AuditEntry
	loaded  bool
	loadErr error
	table   listTable
}

func newActivityTab(e env) activityTab {
	return activityTab{env: e, keys: newActivityKeys(), table: listTable{cols: []column{
		{title: "TIME", width: 11},
		{title: "USER", width: 4, drop: 1},
		{title: "ACTION", width: 6},
		{title: "OBJECT", width: 12, shrink: true},
		{title: "RESULT", width: 6, shrink: true},
		{title: "DURATION", width: 8, right: true, drop: 2},
	}}}
}

func (t activityTab) load() tea.Cmd {
	ctx, b := t.ctx, t.b
	return func() tea.Msg {
		l, err := b.Activity(ctx, activityLimit)
		return activityLoadedMsg{l, err}
	}
}

func (t activityTab) update(msg tea.Msg) (tab, tea.Cmd) {
	switch msg := msg.(type) {
	case activityLoadedMsg:
		t.loaded = true
		if msg.err != nil {
			t.loadErr = msg.err
			return t, nil
		}
		t.entries, t.loadErr = msg.entries, nil
		t.table.setRows(t.rows(false))
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
	// The full date when every column fits with it, else "11-23 02:53"
	// so the file name keeps its room.
	tbl := t.table
	if keep, _, _ := tbl.layout(width); len(keep) < len(tbl.cols) {
		tbl.setRows(t.rows(true))
	}
	more := t.details(width)
	room := max(2, height-len(more))
	out := tbl.view(t.st, width, room)
	if len(more) == 0 {
		return out
	}
	// The details sit at the bottom of the tab, under the table.
	out += strings.Repeat("\n", max(1, room-strings.Count(out, "\n")))
	return out + strings.Join(more, "\n")
}

// rows are the table's cells, newest first; short dates leave out the year.
func (t activityTab) rows(short bool) [][]string {
	rows := make([][]string, len(t.entries))
	for i, e := range t.entries {
		at := stamp(e.Time.In(t.now().Location()))
		if short && len(at) > 5 {
			at = at[5:]
		}
		rows[i] = []string{at, orDash(e.OSUser), e.Action, orDash(e.Object), e.Result, shortDur(msDur(e.DurationMS))}
	}
	return rows
}

// details says more about the selected entry under the table: its error
// with its result (up to two lines, cut with "…"), or else its detail.
func (t activityTab) details(width int) []string {
	if t.table.cursor >= len(t.entries) {
		return nil
	}
	e := t.entries[t.table.cursor]
	w := max(10, width-4)
	switch {
	case e.Error != "":
		text := strings.Join(strings.Fields("✗ "+engine.Printable(e.Result+": "+e.Error)), " ")
		lines := strings.Split(lipgloss.NewStyle().Width(w).Render(text), "\n")
		if len(lines) > 2 {
			lines = lines[:2]
			lines[1] = ansi.Truncate(strings.TrimRight(lines[1], " "), w-1, "") + "…"
		}
		for i, l := range lines {
			lines[i] = "  " + t.st.Error.Render(strings.TrimRight(l, " "))
		}
		return lines
	case e.Detail != "":
		return []string{"  " + t.st.Muted.Render(ansi.Truncate(strings.Join(strings.Fields(engine.Printable(e.Detail)), " "), w, "…"))}
	}
	return nil
}

func (t activityTab) help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	return []key.Binding{k.Refresh}, [][]key.Binding{{k.Up, k.Down, k.Refresh}}
}
