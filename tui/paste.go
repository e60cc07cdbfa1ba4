package tui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
)

// Bubble Tea v2 delivers a bracketed paste as one tea.PasteMsg, not as
// key presses. It goes where typed text goes: the open dialog's typed
// confirmation, or the active tab (its filter).

// paste routes a tea.PasteMsg.
func (m Model) paste(msg tea.PasteMsg) (tea.Model, tea.Cmd) {
	if m.dialog != nil {
		c, cmd, closed := m.dialog.update(msg, m.ckeys)
		m.dialog = &c
		if closed {
			m.dialog = nil
		}
		return m, cmd
	}
	return m.toActive(msg)
}

// paste adds pasted text to the value. A trailing line break (a name
// copied with its line) is dropped, an inner one or a tab becomes a space,
// and
// other control characters are dropped, so nothing pasted reaches the
// terminal raw; the value's limit holds.
func (in lineInput) paste(s string) lineInput {
	for _, r := range strings.TrimRight(s, "\r\n") {
		switch {
		case len(in.value) >= in.limit:
			return in
		case r == '\n' || r == '\r' || r == '\t':
			in.value = append(in.value, ' ')
		case unicode.IsControl(r):
		default:
			in.value = append(in.value, r)
		}
	}
	return in
}
