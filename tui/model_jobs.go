package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// updateJob starts, follows and ends background work.
func (m Model) updateJob(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case runJobMsg:
		if m.job != nil {
			m.setStatus("", fmt.Errorf("a %s is already running; wait for it or press esc to cancel it", m.job.spec.kind))
			return m, nil
		}
		m.lastJob++
		m.job = &job{id: m.lastJob, spec: msg.spec, state: jobRunning}
		m.setStatus(msg.spec.title+"…", nil)
		if m.opts.OnJobStart != nil {
			m.opts.OnJobStart(msg.spec.kind)
		}
		return m, m.job.start(m.ctx, m.jobs)
	case progressMsg:
		if m.job == nil || msg.id != m.job.id {
			return m, nil
		}
		m.job.snap, m.job.seen = msg.snap, true
		return m, waitProgress(m.job.id, m.job.relay, m.job.done)
	case cancelJobMsg:
		if m.job != nil && msg.id == m.job.id && m.job.state == jobRunning {
			m.job.state = jobCancelling
			m.job.cancel()
			m.setStatus("cancelling the "+m.job.spec.kind+"…", nil)
		}
		return m, nil
	case jobDoneMsg:
		if m.job == nil || msg.id != m.job.id {
			return m, nil
		}
		j := m.job
		j.finished(msg.err)
		switch j.state {
		case jobCancelled:
			if j.snap.Waiting != "" {
				m.setStatus(j.spec.kind+" cancelled while it waited; it had not started", nil)
				break
			}
			m.setStatus(j.spec.kind+" cancelled; nothing partial was kept", nil)
		case jobFailed:
			m.setStatus("", msg.err)
		default:
			m.setStatus(msg.text, nil)
		}
		if m.opts.OnJobEnd != nil {
			m.opts.OnJobEnd(j.spec.kind, msg.err)
		}
		m.dialogJobEnded(j)
		m.job = nil
		return m, m.reload()
	}
	return m, nil
}

// askCancel asks before cancelling the running job; one still waiting for
// a lock is cancelled at once.
func (m Model) askCancel() tea.Cmd {
	j := m.job
	if j.state != jobRunning {
		return say("the " + j.spec.kind + " is already being cancelled")
	}
	id := j.id
	if j.snap.Waiting != "" { // nothing has started: stop waiting, no question
		return func() tea.Msg { return cancelJobMsg{id: id} }
	}
	line := cancelLine(j.spec)
	return ask(confirm{title: "Cancel the " + j.spec.kind + "?", lines: []string{line}, about: jobRef{id: id},
		onYes: func() tea.Msg { return cancelJobMsg{id: id} }, onNo: "the " + j.spec.kind + " goes on"})
}
