package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func (t backupsTab) view(width, height int) string {
	if t.details {
		if sel, ok := t.selected(); ok {
			return detailsView(t.st, sel, t.now().Location(), t.scroll, width, height)
		}
	}
	top := t.strip(width)
	if t.filter.shown() {
		top = lipgloss.NewStyle().MaxWidth(width).Render(top) + "\n  " + t.filter.line()
	}
	room := height - lipgloss.Height(top)
	var body string
	switch {
	case !t.loaded:
		body = "  loading backups…"
	case t.loadErr != nil && len(t.all) == 0:
		body = errorBody(t.st, "could not read the backups: ", t.loadErr, width)
	case t.loadErr != nil:
		body = "  " + t.st.Error.Render("✗ could not refresh: "+engine.Printable(t.loadErr.Error())) + "\n" + t.table.view(t.st, width, room-1)
	case len(t.shown) == 0 && len(t.all) > 0:
		body = "  no backup matches the filter"
	case len(t.shown) == 0:
		body = "  no backups yet: press n to take the first one"
	default:
		body = t.table.view(t.st, width, room)
	}
	return top + "\n" + body
}

// strip is the health line: dir, writable, free, kept, age of the last.
func (t backupsTab) strip(width int) string {
	s := t.status
	if t.statusErr != nil {
		return "  " + t.st.Error.Render("✗ "+engine.Printable(t.statusErr.Error()))
	}
	if s == nil {
		return "  " + t.st.Muted.Render("checking the backup directory…")
	}
	line := t.healthLine(s, width)
	if r := t.remotesLine(s, width); r != "" {
		line += "\n" + r
	}
	if k := t.keptLine(s, width); k != "" {
		line += "\n" + k
	}
	// A restore cut short or a database that shrank must not scroll away.
	for _, w := range append(append([]string{}, s.Interrupted...), s.Shrank, scheduleFailed(s)) {
		if w != "" {
			line += "\n" + lipgloss.NewStyle().Width(width).PaddingLeft(2).Render(t.st.Danger.Render("✗ "+engine.Printable(w)))
		}
	}
	return line
}

func (t backupsTab) healthLine(s *engine.Status, width int) string {
	var parts []string
	switch {
	case !s.DirExists:
		parts = append(parts, t.st.Danger.Render("✗ missing"))
	case !s.DirWritable:
		parts = append(parts, t.st.Danger.Render("✗ not writable"))
	default:
		parts = append(parts, t.st.OK.Render("✓ writable"))
	}
	free := size(int64(s.FreeBytes)) + " free"
	if s.LowSpace {
		free = t.st.Warn.Render(free + " (low)")
	}
	kept := fmt.Sprintf("%d of %d kept", s.Total, s.Keep)
	if s.Keep == 0 { // keep = 0: only calendar rules (keep_daily, ...) keep backups
		kept = fmt.Sprintf("%d kept", s.Total)
	}
	parts = append(parts, free)
	last := "last: none"
	if s.LastComplete != nil {
		last = "last: " + ago(t.now(), s.LastComplete.CreatedAt)
	}
	if s.Stale {
		last = t.st.Warn.Render(last + " (stale)")
	}
	if next := scheduleNext(s, t.now()); next != "" {
		last += "  " + next
	}
	// Narrow windows shorten the directory in the middle, then lose the
	// counts; never the health, and never the whole directory.
	dir := engine.Printable(s.Dir)
	for _, rest := range [][]string{append(parts[:2:2], kept, last), append(parts, last)} {
		tail := "  " + strings.Join(rest, "  ")
		if room := width - 2 - lipgloss.Width(tail); room >= min(lipgloss.Width(dir), minDirWidth) {
			return "  " + middleCut(dir, room) + tail
		}
	}
	return "  " + middleCut(dir, minDirWidth) + "  " + strings.Join(append(parts, last), "  ")
}

// minDirWidth is the least of the directory a narrow header keeps.
const minDirWidth = 12

// middleCut shortens s to w cells by cutting its middle ("/var/ba…/lifeboat"):
// a path's start and its last element are what tell directories apart.
func middleCut(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	keep := min(max(w-1, 2), len(r)-1)
	head := keep / 3
	tail := keep - head
	for head+tail > 0 && lipgloss.Width(string(r[:head])+"…"+string(r[len(r)-tail:])) > w {
		if tail > head {
			tail--
		} else {
			head--
		}
	}
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (t backupsTab) help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	if t.filter.typing {
		return filterHelp()
	}
	if t.details {
		return t.detailsHelp()
	}
	short := []key.Binding{k.New, k.Restore, k.Verify, k.Delete, k.Prune, k.Filter}
	if t.status != nil && len(t.status.Previous) > 0 { // a swap restore kept a state: u puts it back
		short = append(short, k.Undo) // last: cut first when narrow, where the strip still says "u"
	}
	return short, [][]key.Binding{{k.Up, k.Down, k.Details, k.Filter, k.Refresh}, {k.New, k.Verify, k.VerifyRestore}, {k.Restore, k.Undo, k.Delete, k.Prune}}
}
