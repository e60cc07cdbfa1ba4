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

// View lays out header, tabs, the active tab (or the dialog), the job's
// progress, the status line and help.
func (m Model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	v.WindowTitle = "lifeboat"
	return v
}

func (m Model) screen() string {
	if m.width < MinWidth || m.height < MinHeight {
		return fmt.Sprintf("lifeboat needs a terminal of at least %d×%d;\nthis one is %d×%d. Make it larger, or press q to quit.",
			MinWidth, MinHeight, m.width, m.height)
	}
	top := []string{m.headerView(), m.tabsView(), m.rule()}
	bottom := []string{m.rule(), m.statusView(), m.helpView()}
	if m.job != nil {
		bottom = append([]string{m.rule(), progressView(m.st, m.job, m.width)}, bottom...)
	}
	foot := strings.Join(bottom, "\n")
	room := max(1, m.height-len(top)-lipgloss.Height(foot))
	var body string
	if m.dialog != nil {
		body = lipgloss.Place(m.width, room, lipgloss.Center, lipgloss.Center, m.dialog.view(m.st, m.width, room))
	} else {
		body = m.tabView(room)
	}
	body = fit(body, m.width, room)
	return strings.Join(top, "\n") + "\n" + body + "\n" + foot
}

func (m Model) tabView(h int) string { return m.tabs[m.tab].view(m.width, h) }

// fit pads or cuts s to exactly h lines no wider than w.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	clip := lipgloss.NewStyle().MaxWidth(w)
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = clip.Render(l)
		}
	}
	return strings.Join(lines, "\n")
}

// statusView says what happened on one line, cut with "…" to the width
// so a long message never pushes the layout; m shows all of it (up to
// four lines) until the next message.
func (m Model) statusView() string {
	if m.status == "" {
		return ""
	}
	text := m.statusText()
	var lines []string
	if m.statusFull {
		lines = strings.Split(lipgloss.NewStyle().Width(max(1, m.width-2)).Render(text), "\n")
		if len(lines) > 4 {
			lines = lines[:4]
			lines[3] = ansi.Truncate(strings.TrimRight(lines[3], " "), m.width-3, "") + "…"
		}
	} else {
		lines = []string{ansi.Truncate(text, max(1, m.width-2), "…")}
	}
	for i, l := range lines {
		l = " " + strings.TrimRight(l, " ")
		if m.statusErr {
			l = m.st.Error.Render(l)
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// statusText is the status on one line, errors marked with ✗.
func (m Model) statusText() string {
	text := strings.Join(strings.Fields(engine.Printable(m.status)), " ")
	if m.statusErr {
		text = "✗ " + text
	}
	return text
}

// statusCut reports whether the status line does not show all the text.
func (m Model) statusCut() bool {
	return m.status != "" && lipgloss.Width(m.statusText()) > m.width-2
}

// errorBody stands in for a tab's table when loading failed.
func errorBody(st Styles, what string, err error, width int) string {
	msg := lipgloss.NewStyle().Width(max(20, width-4)).Render(what + engine.Printable(err.Error()))
	return lipgloss.NewStyle().PaddingLeft(2).Render(st.Error.Render(msg) + "\npress R to try again")
}

// helpView is the short help line, or the full help on ?, indented by one.
func (m Model) helpView() string {
	h := m.help
	h.SetWidth(m.width - 2)
	out := h.View(fitShort(m.helpKeys(), m.width-2))
	return lipgloss.NewStyle().PaddingLeft(1).Render(out)
}

// helpMap joins the active tab's keys with the global ones for bubbles/help.
type helpMap struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpMap) ShortHelp() []key.Binding  { return h.short }
func (h helpMap) FullHelp() [][]key.Binding { return h.full }

// fitShort keeps the short-help bindings that fit in width, ending with
// the global ones (help, quit) so they never drop off.
func fitShort(h helpMap, width int) helpMap {
	total := 0
	for _, b := range h.short {
		total += lipgloss.Width(b.Help().Key+" "+b.Help().Desc) + 3
	}
	for total-3 > width && len(h.short) > 2 {
		drop := h.short[len(h.short)-3]
		total -= lipgloss.Width(drop.Help().Key+" "+drop.Help().Desc) + 3
		h.short = append(h.short[:len(h.short)-3:len(h.short)-3], h.short[len(h.short)-2:]...)
	}
	return h
}

func (m Model) helpKeys() helpMap {
	short, full := m.tabs[m.tab].help()
	g := m.keys
	if m.dialog != nil {
		k := []key.Binding{m.ckeys.Yes, m.ckeys.No}
		if m.dialog.typed != "" {
			k = []key.Binding{m.ckeys.Enter, m.ckeys.Esc}
		}
		if m.dialog.pick != nil {
			k = pickHelp(m.ckeys)
		}
		return helpMap{short: k, full: [][]key.Binding{k}}
	}
	if m.tabs[m.tab].capturing() {
		// every key types into the filter: offer only the tab's own keys
		return helpMap{short: short, full: full}
	}
	if m.statusCut() {
		short = append([]key.Binding{g.Message}, short...)
	}
	if m.job != nil {
		short = append([]key.Binding{g.Cancel}, withoutJobKeys(m.tabs[m.tab], short)...)
	}
	short = append(short, g.Help, g.Quit)
	global := []key.Binding{g.Next, g.Prev, g.TabN, g.Help, g.Quit, g.Message}
	if m.job != nil {
		global = append(global, g.Cancel)
	}
	full = append(full, global)
	return helpMap{short: short, full: full}
}
