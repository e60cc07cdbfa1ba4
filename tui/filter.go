package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// listFilter is the "/" line of a list tab. While it is being typed every
// key is text: enter keeps it, esc clears it.
type listFilter struct {
	input  lineInput
	typing bool
}

func newListFilter() listFilter { return listFilter{input: newLineInput("/")} }

// Value is what was typed.
func (f listFilter) Value() string { return f.input.Value() }

// shown is true while the line is on the screen: being typed, or kept.
func (f listFilter) shown() bool { return f.typing || f.input.Value() != "" }

func (f listFilter) start() listFilter { f.typing = true; return f }
func (f listFilter) clear() listFilter { return newListFilter() }

// update takes a key or a paste while typing.
func (f listFilter) update(msg tea.Msg) listFilter {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter":
			f.typing = false
			return f
		case "esc":
			return f.clear()
		}
	}
	f.input = f.input.update(msg)
	return f
}

// line is the filter as shown: with its cursor while typed.
func (f listFilter) line() string {
	if f.typing {
		return f.input.view()
	}
	return f.input.prompt + f.input.Value()
}

// filterHelp is the help while a filter is typed.
func filterHelp() ([]key.Binding, [][]key.Binding) {
	b := []key.Binding{bind([]string{"enter"}, "enter", "keep filter"), bind([]string{"esc"}, "esc", "clear filter")}
	return b, [][]key.Binding{b}
}
