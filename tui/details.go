package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// The details view of one full backup. It scrolls (↑/↓, pgup/pgdn,
// home/end) so every line can be reached, wraps a long value (a sha256
// at 80 columns) instead of cutting it, and the backup's own actions
// (v, V, r, d) work from it.

// detailScroll is where the details view stands. The view writes the
// furthest useful top for its height, so the keys never scroll past it.
type detailScroll struct {
	top, maxTop int
	name        string // the file shown; another selection starts at the top
}

// detailLabel is the width of "  state          " before each value.
const detailLabel = 17

func detailLines(st Styles, b engine.BackupInfo, loc *time.Location, width int) []string {
	lines := []string{"  " + st.Title.Render(engine.Printable(b.Filename)), ""}
	add := func(k, v string) {
		v = engine.Printable(v)
		room := max(16, width-detailLabel)
		parts := strings.Split(ansi.Wrap(v, room, ","), "\n")
		lines = append(lines, fmt.Sprintf("  %-14s %s", k, parts[0]))
		for _, p := range parts[1:] {
			lines = append(lines, strings.Repeat(" ", detailLabel)+strings.TrimLeft(p, " "))
		}
	}
	add("state", stateLabel(b.State))
	add("size", size(b.Size))
	add("created", stamp(b.CreatedAt.In(loc))+" by "+orDash(b.CreatedBy))
	m := b.Manifest
	if m == nil {
		add("manifest", "none: this file is "+string(b.State))
		return lines
	}
	add("server", m.ServerVersion)
	add("databases", strings.Join(m.Databases, ", "))
	add("compression", m.Compression)
	if m.Encrypted {
		add("encryption", "age ("+engine.EncryptionLabel(b)+"), "+plural(len(m.Recipients), "recipient"))
	}
	add("consistency", m.Consistency)
	if m.Binlog != nil {
		add("binlog", fmt.Sprintf("%s:%d %s", m.Binlog.File, m.Binlog.Position, m.Binlog.GTID))
	}
	add("sha256", checksumLines(m.SHA256, width-detailLabel))
	add("duration", shortDur(msDur(m.DurationMS)))
	add("last verify", lastVerify(m, loc))
	lines = append(lines, databaseLines(st, m)...) // several databases (details_databases.go)
	lines = append(lines, "", st.ColHeader.Render(fmt.Sprintf("  %-40s %12s", "TABLE", "ROWS")))
	names := make([]string, 0, len(m.Tables))
	for n := range m.Tables {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		lines = append(lines, fmt.Sprintf("  %-40s %12s", engine.Printable(n), count(m.Tables[n])))
	}
	return lines
}

// checksumLines breaks a checksum too long for room into equal halves
// (or quarters), one a line, so it reads as a whole and is never cut.
func checksumLines(sum string, room int) string {
	if len(sum) <= room {
		return sum
	}
	n := len(sum) / 2
	for n > 8 && n > room {
		n /= 2
	}
	var parts []string
	for len(sum) > n {
		parts = append(parts, sum[:n])
		sum = sum[n:]
	}
	return strings.Join(append(parts, sum), " ")
}

func lastVerify(m *engine.Manifest, loc *time.Location) string {
	v := m.Verify
	if v == nil {
		return "never"
	}
	how, res := "read", "ok"
	if v.Restore {
		how = "restored"
	}
	if !v.OK {
		res = "FAILED " + v.Detail
	}
	return fmt.Sprintf("%s (%s) %s by %s", stamp(v.At.In(loc)), how, res, v.By)
}

// detailsView shows the lines from sc.top, with a marker line for what
// is above and below.
func detailsView(st Styles, b engine.BackupInfo, loc *time.Location, sc *detailScroll, width, height int) string {
	lines := detailLines(st, b, loc, width)
	height = max(3, height)
	maxTop := 0
	if len(lines) > height {
		maxTop = len(lines) - height + 1 // the "above" marker takes a line
	}
	top := 0
	if sc != nil {
		sc.maxTop = maxTop
		top = min(sc.top, maxTop)
	}
	var out []string
	room := height
	if top > 0 {
		out = append(out, st.Muted.Render(fmt.Sprintf("  ↑ %d more lines above", top)))
		room--
	}
	rest := lines[top:]
	if len(rest) > room {
		below := len(rest) - room + 1
		rest = append(rest[:room-1:room-1], st.Muted.Render(fmt.Sprintf("  … %d more lines (↓ to scroll)", below)))
	}
	out = append(out, rest...)
	return lipgloss.NewStyle().MaxWidth(width).Render(strings.Join(out, "\n"))
}

// detailsKey handles a key in the details view.
func (t backupsTab) detailsKey(k tea.KeyPressMsg, sel engine.BackupInfo) (backupsTab, tea.Cmd) {
	sc := t.scroll
	switch {
	case key.Matches(k, t.keys.Back, t.keys.Details):
		t.details = false
	case key.Matches(k, t.keys.Up):
		sc.top = max(0, min(sc.top, sc.maxTop)-1)
	case key.Matches(k, t.keys.Down):
		sc.top = min(sc.maxTop, sc.top+1)
	case k.String() == "pgup":
		sc.top = max(0, min(sc.top, sc.maxTop)-10)
	case k.String() == "pgdown", k.String() == " ":
		sc.top = min(sc.maxTop, sc.top+10)
	case k.String() == "home", k.String() == "g":
		sc.top = 0
	case k.String() == "end", k.String() == "G":
		sc.top = sc.maxTop
	default:
		return t, t.actOn(k, sel)
	}
	return t, nil
}

// openDetails shows the selected backup from its top.
func (t *backupsTab) openDetails(sel engine.BackupInfo) {
	t.details = true
	*t.scroll = detailScroll{name: sel.Filename}
}

// detailsGone closes the details when the file they showed is no longer
// the selection (deleted, pruned, filtered away).
func (t *backupsTab) detailsGone() {
	if sel, ok := t.selected(); t.details && (!ok || sel.Filename != t.scroll.name) {
		t.details = false
	}
}

func (t backupsTab) detailsHelp() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	scroll := bind([]string{"up", "down"}, "↑/↓", "scroll")
	return []key.Binding{k.Back, scroll, k.Verify, k.Restore, k.Delete},
		[][]key.Binding{{k.Back, scroll, k.Up, k.Down}, {k.Verify, k.VerifyRestore}, {k.Restore, k.Delete}}
}
