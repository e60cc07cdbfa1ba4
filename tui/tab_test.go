package tui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// extraTab is a tab the root model has never heard of.
type extraTab struct{ keys int }

func (t extraTab) title() string { return "Extra" }
func (t extraTab) load() tea.Cmd { return nil }
func (t extraTab) update(msg tea.Msg) (tab, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		t.keys++
	}
	return t, nil
}
func (t extraTab) view(width, height int) string {
	return "  extra tab, " + strings.Repeat("k", t.keys)
}
func (t extraTab) help() ([]key.Binding, [][]key.Binding) {
	b := bind([]string{"x"}, "x", "extra thing")
	return []key.Binding{b}, [][]key.Binding{{b}}
}
func (t extraTab) capturing() bool { return false }
func (t extraTab) wantsEsc() bool  { return false }

// TestANewTabIsOneValue (issue 12 item 5): a tab added to the slice gets
// its place in the tab bar, its number key, tab/shift+tab, its keys and its
// help, with nothing in the root model written for it.
func TestANewTabIsOneValue(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.m.tabs = append(d.m.tabs, extraTab{})
	d.m.keys = newGlobalKeys(len(d.m.tabs))
	d.mustSee("Extra")
	d.press("5")
	d.mustSee("extra tab, ", "x extra thing")
	d.press("j", "j")
	d.mustSee("extra tab, kk")
	d.press("tab")
	d.mustSee("backup_2026-11-23")
	d.press("shift+tab")
	d.mustSee("extra tab, kk")
}
