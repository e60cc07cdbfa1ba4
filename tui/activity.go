package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// activityLimit is how many audit entries the tab reads.
const activityLimit = 500

// activityTab shows the audit log, newest first. It reloads on its own
// timer while shown (activity_tick.go), filters with / by action, user or
// result, and m shows the selected entry's whole error.
type activityTab struct {
	env
	keys     activityKeys
	entries  []engine.AuditEntry
	shown    []engine.AuditEntry // entries that match the filter
	loaded   bool
	loadErr  error
	table    listTable
	filter   listFilter
	expanded bool // the selected entry's error is shown whole
	width    int  // the window's, to know whether an error is cut
}

func newActivityTab(e env) activityTab {
	return activityTab{env: e, keys: newActivityKeys(), filter: newListFilter(), table: listTable{cols: []column{
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

func (t activityTab) capturing() bool { return t.filter.typing }
func (t activityTab) wantsEsc() bool  { return t.filter.shown() }

func (t activityTab) update(msg tea.Msg) (tab, tea.Cmd) {
	switch msg := msg.(type) {
	case activityLoadedMsg:
		t.loaded = true
		if msg.err != nil {
			t.loadErr = msg.err
			return t, nil
		}
		t.entries, t.loadErr = msg.entries, nil
		t.applyFilter()
	case tea.WindowSizeMsg:
		t.width = msg.Width
	case activityTickMsg:
		return t, t.load()
	case tea.PasteMsg:
		if t.filter.typing {
			t.filter = t.filter.update(msg)
			t.applyFilter()
		}
	case tea.KeyPressMsg:
		return t.key(msg)
	}
	return t, nil
}

func (t activityTab) key(k tea.KeyPressMsg) (activityTab, tea.Cmd) {
	if t.filter.typing {
		t.filter = t.filter.update(k)
		t.applyFilter()
		return t, nil
	}
	switch {
	case key.Matches(k, t.keys.Up):
		t.table.move(-1)
		t.expanded = false
	case key.Matches(k, t.keys.Down):
		t.table.move(1)
		t.expanded = false
	case key.Matches(k, t.keys.Filter):
		t.filter = t.filter.start()
	case k.String() == "esc" && t.filter.Value() != "":
		t.filter = t.filter.clear()
		t.applyFilter()
	case key.Matches(k, t.keys.Expand):
		t.expanded = !t.expanded
	case key.Matches(k, t.keys.Refresh):
		return t, t.load()
	}
	return t, nil
}

// claims takes m from the root (which would show the whole status line)
// while the selected entry's error is cut or shown whole.
func (t activityTab) claims(k tea.KeyPressMsg) bool {
	return !t.filter.typing && key.Matches(k, t.keys.Expand) && (t.expanded || t.errorCut())
}

// applyFilter rebuilds the table from the entries and the filter, keeping
// the cursor on the same entry when it is still shown and was not the
// newest (a reload adds new entries at the top).
func (t *activityTab) applyFilter() {
	// At the top, the cursor follows the newest entry; moved down, it
	// stays on the entry it was on.
	var prev *engine.AuditEntry
	if t.table.cursor > 0 && t.table.cursor < len(t.shown) {
		p := t.shown[t.table.cursor]
		prev = &p
	}
	q := strings.ToLower(strings.TrimSpace(t.filter.Value()))
	t.shown = t.shown[:0:0]
	for _, e := range t.entries {
		if q == "" || matchesActivity(e, q) {
			t.shown = append(t.shown, e)
		}
	}
	t.table.setRows(t.rows(false))
	found := false
	for i, e := range t.shown {
		if prev != nil && e.Time.Equal(prev.Time) && e.Action == prev.Action && e.Object == prev.Object {
			t.table.cursor, found = i, true
			break
		}
	}
	if !found {
		t.table.cursor, t.expanded = 0, false
	}
}

// matchesActivity: every word of q is in the entry's action, user or
// result ("restore failed", "alice").
func matchesActivity(e engine.AuditEntry, q string) bool {
	hay := strings.ToLower(strings.Join([]string{e.Action, e.OSUser, e.MySQLUser, e.Result}, " "))
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (t activityTab) view(width, height int) string {
	var top string
	if t.filter.shown() {
		top = "  " + t.filter.line() + t.st.Muted.Render("  (action, user or result)") + "\n"
		height--
	}
	switch {
	case !t.loaded:
		return top + "  loading the audit log…"
	case t.loadErr != nil && len(t.entries) == 0:
		return top + errorBody(t.st, "could not read the audit log: ", t.loadErr, width)
	case len(t.entries) == 0:
		return top + "  nothing has happened yet"
	case len(t.shown) == 0:
		return top + "  nothing matches the filter"
	}
	more := t.details(width)
	room := max(2, height-len(more))
	tbl := t.fitted(width)
	out := tbl.view(t.st, width, room)
	if len(more) == 0 {
		return top + out
	}
	// The details sit at the bottom of the tab, under the table.
	out += strings.Repeat("\n", max(1, room-strings.Count(out, "\n")))
	return top + out + strings.Join(more, "\n")
}

// rows are the table's cells, newest first; short dates leave out the
// year, which the TIME column's title then carries.
func (t activityTab) rows(short bool) [][]string {
	rows := make([][]string, len(t.shown))
	for i, e := range t.shown {
		at := stamp(e.Time.In(t.now().Location()))
		if short && len(at) > 5 {
			at = at[5:]
		}
		rows[i] = []string{at, orDash(e.OSUser), e.Action, orDash(e.Object), e.Result, shortDur(msDur(e.DurationMS))}
	}
	return rows
}

// fitted is the table for width: full dates when every column fits with
// them; else "11-23 02:53" so the file name keeps its room, with the year
// in the title, "TIME (2026)", when all shown entries share it. The year
// is never lost (issue 13 item 11): entries of several years keep their
// full dates and the object gives way.
func (t activityTab) fitted(width int) listTable {
	tbl := t.table
	if keep, _, _ := tbl.layout(width); len(keep) == len(tbl.cols) {
		return tbl
	}
	year, one := 0, true
	for i, e := range t.shown {
		y := e.Time.In(t.now().Location()).Year()
		if i > 0 && y != year {
			one = false
		}
		year = y
	}
	if !one {
		return tbl
	}
	tbl.cols = append([]column(nil), tbl.cols...)
	tbl.cols[0].title = fmt.Sprintf("TIME (%d)", year)
	tbl.setRows(t.rows(true))
	return tbl
}

// selected is the entry under the cursor.
func (t activityTab) selected() (engine.AuditEntry, bool) {
	if t.table.cursor >= len(t.shown) {
		return engine.AuditEntry{}, false
	}
	return t.shown[t.table.cursor], true
}

// errorLines wraps the selected entry's error with its result to w.
func (t activityTab) errorLines(e engine.AuditEntry, w int) []string {
	text := strings.Join(strings.Fields("✗ "+engine.Printable(e.Result+": "+e.Error)), " ")
	return strings.Split(lipgloss.NewStyle().Width(w).Render(text), "\n")
}

// errorCut is true when the selected entry's error needs more than the
// two lines shown.
func (t activityTab) errorCut() bool {
	e, ok := t.selected()
	return ok && e.Error != "" && len(t.errorLines(e, max(10, t.width-4))) > 2
}

// details says more about the selected entry under the table: its error
// with its result (two lines cut with "… m more", or whole after m), or
// else its detail.
func (t activityTab) details(width int) []string {
	e, ok := t.selected()
	if !ok {
		return nil
	}
	w := max(10, width-4)
	switch {
	case e.Error != "":
		lines := t.errorLines(e, w)
		if len(lines) > 2 && !t.expanded {
			lines = lines[:2]
			lines[1] = ansi.Truncate(strings.TrimRight(lines[1], " "), w-9, "") + "… m more"
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
	if t.filter.typing {
		return filterHelp()
	}
	short := []key.Binding{k.Filter, k.Refresh}
	if t.expanded || t.errorCut() {
		short = append(short, k.Expand)
	}
	return short, [][]key.Binding{{k.Up, k.Down, k.Refresh}, {k.Filter, k.Expand}}
}
