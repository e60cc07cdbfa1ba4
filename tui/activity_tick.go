package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// The Activity tab follows the audit log on its own short timer while it
// is shown (issue 13 item 11): what a cron backup or another user did
// appears without R.

// DefaultActivityEvery is how often Run reloads a shown Activity tab.
const DefaultActivityEvery = 5 * time.Second

// activityTickMsg is the Activity timer.
type activityTickMsg struct{}

// keyClaimer is a tab that takes a key before the root's global meaning
// of it (Activity's m, while an error is cut).
type keyClaimer interface {
	claims(tea.KeyPressMsg) bool
}

// activityTick schedules the next Activity reload.
func (m Model) activityTick() tea.Cmd {
	if m.opts.ActivityEvery <= 0 {
		return nil
	}
	return tea.Tick(m.opts.ActivityEvery, func(time.Time) tea.Msg { return activityTickMsg{} })
}

// activityTicked reloads the Activity tab when it is the one shown, and
// schedules the next tick.
func (m Model) activityTicked() (tea.Model, tea.Cmd) {
	if m.tab != tabActivity {
		return m, m.activityTick()
	}
	nm, cmd := m.toActive(activityTickMsg{})
	return nm, tea.Batch(cmd, m.activityTick())
}
