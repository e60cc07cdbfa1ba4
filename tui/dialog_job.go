package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// A dialog about a job (cancel it, quit while it runs) must not outlive
// the job: when the job ends, the cancel dialog closes and the quit
// dialog changes to say nothing is running any more.

// jobRef ties a dialog to a job.
type jobRef struct {
	id   int  // the job's id; 0: the dialog is about no job
	quit bool // the quit dialog (it changes) rather than cancel (it closes)
}

// dialogJobEnded closes or rewrites the open dialog when it was about j,
// which has just ended (its state is final).
func (m *Model) dialogJobEnded(j *job) {
	if m.dialog == nil || m.dialog.about.id == 0 || m.dialog.about.id != j.id {
		return
	}
	if !m.dialog.about.quit {
		m.dialog = nil // the status line says how the job ended
		return
	}
	c := confirm{title: "Quit lifeboat?", onYes: func() tea.Msg { return quitMsg{} }, onNo: "lifeboat goes on",
		lines: []string{fmt.Sprintf("The %s has ended (%s); nothing is running now.", j.spec.kind, j.state)}}.opened()
	m.dialog = &c
}

// askQuit asks before quitting while a job runs, saying what quitting
// does to that kind of job.
func (m Model) askQuit() tea.Cmd {
	quit := func() tea.Msg { return quitMsg{} }
	if m.job == nil || m.job.state != jobRunning {
		return quit
	}
	return ask(confirm{title: "Quit lifeboat?", lines: []string{quitLine(m.job)}, onYes: quit,
		onNo: "the " + m.job.spec.kind + " goes on", about: jobRef{id: m.job.id, quit: true}})
}

// quitLine says what quitting does to the running job, truthfully for
// its kind: a backup's partial file is removed, a verify just stops, a
// restore is waited for.
func quitLine(j *job) string {
	kind, state := j.spec.kind, "is still running"
	if j.seen && j.snap.Done {
		state = "is finishing its last step"
	}
	switch {
	case j.spec.finish:
		return fmt.Sprintf("The %s %s; lifeboat waits for it to finish before it exits, so nothing is left half done.", kind, state)
	case kind == "verify":
		return fmt.Sprintf("The verify %s; quitting stops it. The backup file is not changed.", state)
	}
	return fmt.Sprintf("The %s %s; quitting cancels it and removes its partial file.", kind, state)
}

// cancelLine says what cancelling the job does.
func cancelLine(s jobSpec) string {
	switch {
	case s.finish:
		return "The restore stops between statements; the safety backup taken first is kept, so the database can be put back."
	case s.kind == "verify":
		return "The verify stops; the backup file is not changed."
	}
	return "The work stops and its partial file is removed."
}

// exitLine is what Run prints on stderr when the screen closed with a
// job still going: a cancelled one is being stopped, a restore finished.
func exitLine(j *job) string {
	if j.state == jobCancelling {
		return fmt.Sprintf("lifeboat: stopping the %s…", j.spec.kind)
	}
	return fmt.Sprintf("lifeboat: waiting for the %s to finish…", j.spec.kind)
}
