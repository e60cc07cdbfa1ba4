package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// confirm is the one dialog every destructive action goes through. It
// carries the command to run once the user agrees: yes/no for delete, the
// exact list of files for prune, a typed name for restores.
type confirm struct {
	title string
	lines []string // what will happen, one line each
	items []string // exactly the files that go
	typed string   // the name the user must type; "" means y/n
	onYes tea.Cmd
	onNo  string // said when the user declines; "cancelled: nothing was changed" when empty

	input lineInput
	wrong string // said after a wrong typed name
}

// opened prepares the dialog for display.
func (c confirm) opened() confirm {
	c.input = newLineInput("> ")
	c.wrong = ""
	return c
}

// update handles one message; closed reports that the dialog is done,
// with cmd the action to run (nil when cancelled).
func (c confirm) update(msg tea.Msg, keys confirmKeys) (confirm, tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if c.typed == "" {
		if ok && key.Matches(k, keys.Yes) {
			return c, c.onYes, true
		}
		if ok && key.Matches(k, keys.No) {
			return c, c.declined(), true
		}
		return c, nil, false
	}
	if ok && key.Matches(k, keys.Esc) {
		return c, c.declined(), true
	}
	if ok && key.Matches(k, keys.Enter) {
		if strings.TrimSpace(c.input.Value()) == c.typed {
			return c, c.onYes, true
		}
		c.wrong = fmt.Sprintf("that is not %q; type it exactly, or esc to cancel", c.typed)
		return c, nil, false
	}
	c.input = c.input.update(msg)
	return c, nil, false
}

func (c confirm) declined() tea.Cmd {
	if c.onNo != "" {
		return say(c.onNo)
	}
	return say("cancelled: nothing was changed")
}

// view renders the dialog box, at most width wide, as narrow as its text.
func (c confirm) view(st Styles, width int) string {
	limit := max(20, width-4)
	inner := lipgloss.Width(c.title)
	for _, l := range append(append([]string{}, c.lines...), c.items...) {
		inner = max(inner, lipgloss.Width(l)+4)
	}
	inner = min(max(inner, 44), limit)
	wrap := lipgloss.NewStyle().Width(inner)
	var b strings.Builder
	b.WriteString(st.Title.Render(c.title) + "\n")
	for _, l := range c.lines {
		if lipgloss.Width(l) > inner {
			l = wrap.Render(l)
		}
		b.WriteString(l + "\n")
	}
	for _, it := range c.items {
		b.WriteString("  • " + it + "\n")
	}
	b.WriteString("\n")
	if c.typed == "" {
		b.WriteString(st.Danger.Render("y") + " yes   " + st.Muted.Render("n/esc") + " no")
	} else {
		b.WriteString(fmt.Sprintf("Type %s to confirm (esc cancels):\n", st.Danger.Render(c.typed)))
		b.WriteString(c.input.view())
		if c.wrong != "" {
			b.WriteString("\n" + st.Error.Render(c.wrong))
		}
	}
	return st.Dialog.Render(b.String())
}
