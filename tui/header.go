package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// headerView is the top line: brand, database @ server, version, and the
// connection state on the right.
func (m Model) headerView() string {
	st := m.st
	left := " " + st.Brand.Render("lifeboat") + "  "
	if m.dbName != "" {
		left += engine.Printable(m.dbName) + " @ "
	}
	left += engine.Printable(m.opts.ServerLabel)
	if m.version != "" {
		left += "  " + engine.Printable(serverName(m.version))
	}
	if z := zoneLabel(m.opts.Location, m.now()); z != "" {
		left += "  " + m.st.Muted.Render(z)
	}
	var right string
	switch {
	case !m.pinged:
		right = st.Muted.Render("○ connecting")
	case m.connErr != "":
		right = st.Danger.Render("✗ disconnected")
	default:
		right = st.OK.Render("● connected")
	}
	return spread(left, right+" ", m.width)
}

// spread puts left and right on one line of width w, right-aligned; when
// they do not fit, left is cut so the right part (the state) stays.
func spread(left, right string, w int) string {
	room := w - lipgloss.Width(right) - 1
	if lipgloss.Width(left) > room {
		left = ansi.Truncate(left, max(0, room-1), "") + "…"
	}
	return left + strings.Repeat(" ", max(1, w-lipgloss.Width(left)-lipgloss.Width(right))) + right
}

// serverName turns VERSION() into "MariaDB 10.11.19" or "MySQL 8.0.36".
func serverName(v string) string {
	num, _, _ := strings.Cut(v, "-")
	if strings.Contains(strings.ToLower(v), "mariadb") {
		return "MariaDB " + num
	}
	return "MySQL " + num
}

// tabsView lists the tabs with the active one marked.
func (m Model) tabsView() string {
	parts := make([]string, len(m.tabs))
	for i, t := range m.tabs {
		name := t.title()
		switch {
		case i == m.tab && m.st.NoColor:
			parts[i] = "[" + name + "]"
		case i == m.tab:
			parts[i] = " " + m.st.TabActive.Render(name) + " "
		default:
			parts[i] = " " + m.st.Tab.Render(name) + " "
		}
	}
	return strings.TrimRight(" "+strings.Join(parts, " "), " ")
}

func (m Model) rule() string {
	return " " + m.st.Rule.Render(strings.Repeat("─", max(0, m.width-2)))
}
