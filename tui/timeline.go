package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// timelineLimit is how many transactions the tab holds: the newest ones
// of the recoverable window.
const timelineLimit = 5000

// timelineTab shows the recoverable window as a bar, gaps marked, and the
// archive's transactions newest first. Risky ones (DROP, TRUNCATE, a big
// DELETE or UPDATE) are marked "!", n/N jump between them, and r restores
// to just before the selected one (timeline_restore.go).
type timelineTab struct {
	env
	keys    timelineKeys
	window  *engine.RecoverableWindow // nil: [binlog] archive is off
	events  []engine.BinlogEvent      // newest first
	shown   []engine.BinlogEvent      // events that match the filter
	loaded  bool
	loadErr error
	table   listTable
	filter  listFilter
}

type timelineLoadedMsg struct {
	window *engine.RecoverableWindow
	events []engine.BinlogEvent // log order, newest last
	err    error
}

func newTimelineTab(e env) timelineTab {
	return timelineTab{env: e, keys: newTimelineKeys(), filter: newListFilter(), table: listTable{cols: []column{
		{title: "!", width: 1},
		{title: "TIME", width: 14},
		{title: "GTID", width: 5},
		{title: "KIND", width: 6},
		{title: "ROWS", width: 4, right: true},
		{title: "DATABASE", width: 8, drop: 2, shrink: true},
		{title: "TABLES", width: 10, shrink: true},
		{title: "FILE:POS", width: 8, drop: 1},
	}}}
}

func (t timelineTab) title() string { return "Timeline" }

// load reads the window, then the transactions inside it (older ones
// cannot be restored to: no backup is old enough).
func (t timelineTab) load() tea.Cmd {
	ctx, b := t.ctx, t.b
	return func() tea.Msg {
		w, err := b.RecoverableWindow(ctx, false)
		if err != nil || w == nil {
			return timelineLoadedMsg{window: w, err: err}
		}
		opts := engine.BinlogEventsOptions{Newest: timelineLimit}
		if w.Problem == "" {
			opts.Since = w.From.Truncate(time.Second) // the log's times are whole seconds
		}
		evs, err := b.BinlogEvents(ctx, opts)
		return timelineLoadedMsg{window: w, events: evs, err: err}
	}
}

func (t timelineTab) capturing() bool { return t.filter.typing }
func (t timelineTab) wantsEsc() bool  { return t.filter.shown() }

func (t timelineTab) update(msg tea.Msg) (tab, tea.Cmd) {
	switch msg := msg.(type) {
	case timelineLoadedMsg:
		t.loaded, t.loadErr = true, msg.err
		if msg.err != nil && msg.window == nil && len(msg.events) == 0 && t.window != nil {
			return t, nil // keep what was shown; the error says why it is old
		}
		t.window = msg.window
		t.events = t.events[:0:0]
		for i := len(msg.events) - 1; i >= 0; i-- {
			t.events = append(t.events, msg.events[i])
		}
		t.applyFilter()
	case pointPlanMsg:
		return t, t.askPointRestore(msg)
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

func (t timelineTab) key(k tea.KeyPressMsg) (timelineTab, tea.Cmd) {
	if t.filter.typing {
		t.filter = t.filter.update(k)
		t.applyFilter()
		return t, nil
	}
	switch {
	case key.Matches(k, t.keys.Up):
		t.table.move(-1)
	case key.Matches(k, t.keys.Down):
		t.table.move(1)
	case key.Matches(k, t.keys.NextRisky):
		t.jumpRisky(1)
	case key.Matches(k, t.keys.PrevRisky):
		t.jumpRisky(-1)
	case key.Matches(k, t.keys.Filter):
		t.filter = t.filter.start()
	case k.String() == "esc" && t.filter.Value() != "":
		t.filter = t.filter.clear()
		t.applyFilter()
	case key.Matches(k, t.keys.Restore):
		if ev, ok := t.selected(); ok {
			return t, t.planPointRestore(ev)
		}
	case key.Matches(k, t.keys.Refresh):
		return t, t.load()
	}
	return t, nil
}

// jumpRisky moves the cursor to the next risky transaction down the list
// (older, dir 1) or up it (newer, -1), staying put when there is none.
func (t *timelineTab) jumpRisky(dir int) {
	for i := t.table.cursor + dir; i >= 0 && i < len(t.shown); i += dir {
		if risky(t.shown[i]) != "" {
			t.table.cursor = i
			return
		}
	}
}

// applyFilter rebuilds the table, keeping the cursor on the same
// transaction when it is still shown.
func (t *timelineTab) applyFilter() {
	type place struct {
		file string
		pos  uint64
	}
	var prev place
	if ev, ok := t.selected(); ok {
		prev = place{ev.File, ev.Position}
	}
	q := strings.ToLower(strings.TrimSpace(t.filter.Value()))
	t.shown = t.shown[:0:0]
	for _, ev := range t.events {
		if q == "" || matchesEvent(ev, q) {
			t.shown = append(t.shown, ev)
		}
	}
	t.table.setRows(t.rows())
	t.table.cursor = 0
	for i, ev := range t.shown {
		if (place{ev.File, ev.Position}) == prev {
			t.table.cursor = i
			break
		}
	}
}

// matchesEvent: every word of q is in the transaction's database, tables,
// kind, GTID or statement ("translations delete").
func matchesEvent(ev engine.BinlogEvent, q string) bool {
	hay := strings.ToLower(strings.Join(append([]string{ev.Database, ev.Kind, ev.GTID, ev.Statement}, ev.Tables...), " "))
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

func (t timelineTab) rows() [][]string {
	rows := make([][]string, len(t.shown))
	for i, ev := range t.shown {
		flag := ""
		if risky(ev) != "" {
			flag = "!"
		}
		rows[i] = []string{flag, ev.Time.In(t.now().Location()).Format("01-02 15:04:05"), orDash(ev.GTID), ev.Kind,
			rowCount(ev), orDash(ev.Database), eventWhat(ev), fmt.Sprintf("%s:%d", ev.File, ev.Position)}
	}
	return rows
}

// rowCount is the rows a transaction changed; "-" for a statement, whose
// log does not say.
func rowCount(ev engine.BinlogEvent) string {
	if ev.Rows == 0 && ev.Statement != "" {
		return "-"
	}
	return count(int64(ev.Rows))
}

// eventWhat is the tables a transaction changed, or a DDL's statement.
func eventWhat(ev engine.BinlogEvent) string {
	if ev.Kind == "DDL" || len(ev.Tables) == 0 && ev.Statement != "" {
		return strings.Join(strings.Fields(ev.Statement), " ")
	}
	return orDash(strings.Join(ev.Tables, ","))
}

func (t timelineTab) selected() (engine.BinlogEvent, bool) {
	if t.table.cursor >= len(t.shown) {
		return engine.BinlogEvent{}, false
	}
	return t.shown[t.table.cursor], true
}

func (t timelineTab) view(width, height int) string {
	var top []string
	switch {
	case !t.loaded:
		return "  reading the binary-log archive…"
	case t.window == nil && t.loadErr == nil:
		return "  The binary-log archive is off, so there is no timeline.\n" +
			t.st.Muted.Render("  Turn on [binlog] archive = true in the config and run lifeboat binlog sync\n"+
				"  (from cron, or --follow as a service) to restore to any second.")
	case t.window == nil:
		return errorBody(t.st, "could not read the binary-log archive: ", t.loadErr, width)
	}
	top = append(top, t.windowLines(width)...)
	if t.loadErr != nil {
		top = append(top, "  "+t.st.Error.Render(ansi.Truncate(engine.Printable("✗ "+t.loadErr.Error()), max(10, width-4), "…")))
	}
	if t.filter.shown() {
		top = append(top, "  "+t.filter.line()+t.st.Muted.Render("  (database, table, kind or GTID)"))
	}
	head := strings.Join(top, "\n") + "\n"
	switch {
	case len(t.events) == 0:
		return head + "  no transactions in the window yet"
	case len(t.shown) == 0:
		return head + "  nothing matches the filter"
	}
	more := t.details(width)
	room := max(2, height-len(top)-len(more))
	out := t.table.view(t.st, width, room)
	out += strings.Repeat("\n", max(1, room-strings.Count(out, "\n")))
	return head + out + strings.Join(more, "\n")
}

// details says more about the selected transaction under the table:
// where it is in the log, why it is marked, and a DDL's whole statement.
func (t timelineTab) details(width int) []string {
	ev, ok := t.selected()
	if !ok {
		return nil
	}
	w := max(10, width-4)
	line := fmt.Sprintf("%s:%d  %s", ev.File, ev.Position, ev.Time.In(t.now().Location()).Format("2006-01-02 15:04:05"))
	if why := risky(ev); why != "" {
		line += "  ! " + why
	}
	out := []string{"  " + t.st.Muted.Render(ansi.Truncate(engine.Printable(line), w, "…"))}
	if what := eventWhat(ev); what != "" && what != "-" {
		out = append(out, "  "+ansi.Truncate(engine.Printable(what), w, "…"))
	}
	return out
}

func (t timelineTab) help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	if t.filter.typing {
		return filterHelp()
	}
	return []key.Binding{k.Restore, k.NextRisky, k.Filter, k.Refresh},
		[][]key.Binding{{k.Up, k.Down, k.NextRisky, k.PrevRisky}, {k.Restore, k.Filter, k.Refresh}}
}
