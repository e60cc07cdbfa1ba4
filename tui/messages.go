package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// Messages that engine Cmds return. Each carries its own error so the
// screen can say which call failed.
type (
	pingMsg struct {
		version string
		err     error
	}
	backupsLoadedMsg struct {
		list []engine.BackupInfo
		err  error
	}
	statusLoadedMsg struct {
		status engine.Status
		err    error
	}
	activityLoadedMsg struct {
		entries []engine.AuditEntry
		err     error
	}
	projectsLoadedMsg struct {
		projects []engine.ProjectInfo
		err      error
	}
	projectBackupsLoadedMsg struct {
		id      string
		backups []engine.ProjectBackupInfo
		err     error
	}
	restorePlanMsg struct {
		plan   engine.RestorePlan
		name   string
		err    error
		picked *engine.RestoreOptions // what the whole-server picker chose (restore_pick.go); nil before
	}
	projectPlanMsg struct {
		plan engine.ProjectRestorePlan
		id   string
		name string
		err  error
	}
	prunePlanMsg struct {
		res engine.PruneResult
		err error
	}
)

// Messages between the tabs, the dialog and the root model.
type (
	// statusMsg puts text in the status line; err makes it an error.
	statusMsg struct {
		text string
		err  error
	}
	// askMsg opens the confirm dialog.
	askMsg struct{ c confirm }
	// runJobMsg starts long work in the background.
	runJobMsg struct{ spec jobSpec }
	// actionDoneMsg ends a short action (delete, prune): say and refresh.
	actionDoneMsg struct {
		text string
		err  error
	}
	// refreshMsg asks every tab to reload its data.
	refreshMsg struct{}
	// tickMsg is the periodic refresh.
	tickMsg struct{}
	// cancelJobMsg cancels the running job (asked first).
	cancelJobMsg struct{ id int }
	// quitMsg quits once confirmed.
	quitMsg struct{}
	// progressMsg is one snapshot from the relay.
	progressMsg struct {
		id   int
		snap progress.Snapshot
	}
	// jobDoneMsg ends a job.
	jobDoneMsg struct {
		id   int
		text string
		err  error
	}
)

func say(text string) tea.Cmd  { return func() tea.Msg { return statusMsg{text: text} } }
func fail(err error) tea.Cmd   { return func() tea.Msg { return statusMsg{err: err} } }
func ask(c confirm) tea.Cmd    { return func() tea.Msg { return askMsg{c} } }
func runJob(s jobSpec) tea.Cmd { return func() tea.Msg { return runJobMsg{s} } }
