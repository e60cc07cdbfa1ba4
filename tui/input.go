package tui

import (
	tea "charm.land/bubbletea/v2"
)

// lineInput is a one-line text box for the filter and typed confirmations.
// (bubbles/textinput would pull atotto/clipboard into go.sum; this needs
// nothing and shows no escape codes under NO_COLOR.)
type lineInput struct {
	prompt string
	value  []rune
	limit  int
}

func newLineInput(prompt string) lineInput { return lineInput{prompt: prompt, limit: 128} }

// update edits the value on key presses and ignores everything else.
func (in lineInput) update(msg tea.Msg) lineInput {
	if p, ok := msg.(tea.PasteMsg); ok {
		return in.paste(p.Content)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return in
	}
	switch k.String() {
	case "backspace", "ctrl+h":
		if len(in.value) > 0 {
			in.value = in.value[:len(in.value)-1]
		}
		return in
	case "ctrl+u":
		in.value = nil
		return in
	}
	if k.Text != "" && k.Mod&(tea.ModCtrl|tea.ModAlt) == 0 && len(in.value) < in.limit {
		in.value = append(in.value, []rune(k.Text)...)
	}
	return in
}

func (in lineInput) Value() string { return string(in.value) }

func (in lineInput) view() string { return in.prompt + string(in.value) + "_" }
