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

// confirm is the one dialog every destructive action goes through. It
// carries the command to run once the user agrees: yes/no for delete, the
// exact list of files for prune, a typed name for restores.
type confirm struct {
	title string
	lines []string // what will happen, one line each
	table []string // header, rows, total: the rows are cut when the window is short
	items []string // exactly the files that go
	notes []string // after the table or list: safety backup, warnings
	typed string   // the name the user must type; "" means y/n
	onYes tea.Cmd
	onNo  string // said when the user declines; "cancelled: nothing was changed" when empty
	about jobRef // the job this dialog is about, if any: it closes or changes when the job ends (dialog_job.go)

	input lineInput
	wrong string // said after a wrong typed name

	pick *partsPick // a whole-server restore's picker (restore_pick.go): keys go to it
}

// opened prepares the dialog for display. Its text quotes names from the
// database and the backup, so every line goes through engine.Printable
// (the table's first line is its styled header, built by lifeboat).
func (c confirm) opened() confirm {
	c.title = engine.Printable(c.title)
	c.lines = printableAll(c.lines)
	if len(c.table) > 1 {
		c.table = append(c.table[:1:1], printableAll(c.table[1:])...)
	}
	c.items = printableAll(c.items)
	c.notes = printableAll(c.notes)
	c.input = newLineInput("> ")
	c.wrong = ""
	return c
}

// update handles one message; closed reports that the dialog is done,
// with cmd the action to run (nil when cancelled).
func (c confirm) update(msg tea.Msg, keys confirmKeys) (confirm, tea.Cmd, bool) {
	if c.pick != nil {
		return c.updatePick(msg, keys)
	}
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

// view renders the dialog box, at most width wide and height tall, as
// narrow as its text. When the text is taller than the window it shrinks
// step by step (blank lines go, then the table and file list are cut to
// "… and N more", then long sentences are cut to one line) so that the
// title, the facts, the list and the prompt always show.
func (c confirm) view(st Styles, width, height int) string {
	limit := max(20, width-4) // border and padding take 4 columns
	inner := lipgloss.Width(c.title)
	for _, l := range c.lines {
		inner = max(inner, lipgloss.Width(l))
	}
	for _, l := range c.notes {
		inner = max(inner, lipgloss.Width(l))
	}
	for _, l := range c.table {
		inner = max(inner, lipgloss.Width(l))
	}
	for _, l := range c.items {
		inner = max(inner, lipgloss.Width(l)+4)
	}
	inner = min(max(inner, 44), limit)
	tail := c.promptLines(st)
	for i, l := range tail {
		tail[i] = ansi.Truncate(l, inner, "…")
	}
	room := max(1, height-2) // the border takes two lines
	rows := max(len(c.table)-2, len(c.items))
	type try struct {
		compact, cut bool
		rows         int
	}
	tries := []try{{false, false, rows}}
	for n := rows; n >= min(rows, 3); n-- {
		tries = append(tries, try{true, false, n})
	}
	for n := min(rows, 3); n >= min(rows, 1); n-- {
		tries = append(tries, try{true, true, n})
	}
	var body []string
	for _, t := range tries {
		body = c.bodyLines(st, inner, t.compact, t.cut, t.rows)
		if len(body)+len(tail) <= room {
			break
		}
	}
	// Still too tall: keep the top of the text and, always, the prompt.
	body = body[:max(1, min(len(body), room-len(tail)))]
	return st.Dialog.Render(strings.Join(append(body, tail...), "\n"))
}

// bodyLines is everything above the prompt: compact drops blank lines,
// cut keeps each sentence to one line, and at most rows table rows or
// files are listed.
func (c confirm) bodyLines(st Styles, inner int, compact, cut bool, rows int) []string {
	out := []string{st.Title.Render(c.title)}
	text := func(ls []string) {
		for _, l := range ls {
			switch {
			case l == "" && compact:
			case lipgloss.Width(l) <= inner:
				out = append(out, l)
			case cut:
				out = append(out, ansi.Truncate(l, inner, "…"))
			default:
				out = append(out, strings.Split(lipgloss.NewStyle().Width(inner).Render(l), "\n")...)
			}
		}
	}
	text(c.lines)
	if len(c.table) > 0 {
		body := c.table[1 : len(c.table)-1]
		out = append(out, c.table[0])
		out = append(out, capped(body, rows, "  ")...)
		out = append(out, c.table[len(c.table)-1])
	}
	items := make([]string, len(c.items))
	for i, it := range c.items {
		items[i] = "  • " + it
	}
	out = append(out, capped(items, rows, "  ")...)
	text(c.notes)
	if !compact {
		out = append(out, "")
	}
	for i, l := range out {
		if lipgloss.Width(l) > inner {
			out[i] = ansi.Truncate(l, inner, "…")
		}
	}
	return out
}

// capped keeps at most n of ls; when some are left out the last kept
// line says how many.
func capped(ls []string, n int, indent string) []string {
	if len(ls) <= n {
		return ls
	}
	n = max(1, n)
	return append(append([]string{}, ls[:n-1]...), fmt.Sprintf("%s… and %d more", indent, len(ls)-n+1))
}

// promptLines are the answer lines: y/n, or the typed name and its input.
func (c confirm) promptLines(st Styles) []string {
	if c.pick != nil {
		return pickPrompt(st)
	}
	if c.typed == "" {
		return []string{st.Danger.Render("y") + " yes   " + st.Muted.Render("n/esc") + " no"}
	}
	out := []string{fmt.Sprintf("Type %s to confirm (esc cancels):", st.Danger.Render(engine.Printable(c.typed))), engine.Printable(c.input.view())}
	if c.wrong != "" {
		out = append(out, st.Error.Render(c.wrong))
	}
	return out
}

func printableAll(ls []string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = engine.Printable(l)
	}
	return out
}
