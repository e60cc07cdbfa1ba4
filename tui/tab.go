package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// tab is one screen under the tab bar. The root model keeps them in a
// slice and knows nothing else about them, so a new tab is a new file
// and one entry in newTabs.
type tab interface {
	title() string
	load() tea.Cmd // fetch what the tab shows; called at start and on refresh
	// update takes every data message and, when the tab is active, keys.
	update(tea.Msg) (tab, tea.Cmd)
	view(width, height int) string
	help() (short []key.Binding, full [][]key.Binding)
	capturing() bool // every key is text (a filter being typed)
	wantsEsc() bool  // esc means "back" here, not "cancel the job"
}

// Tab positions, for the number keys and tests.
const (
	tabBackups = iota
	tabProjects
	tabActivity
	tabTimeline
)

func newTabs(e env) []tab {
	return []tab{newBackupsTab(e), newProjectsTab(e), newActivityTab(e), newTimelineTab(e)}
}

func (t backupsTab) title() string  { return "Full backups" }
func (t projectsTab) title() string { return "Projects" }
func (t activityTab) title() string { return "Activity" }

func (t projectsTab) capturing() bool { return false }
