package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// The connection indicator is checked on its own short timer, on R, and
// whenever the driver logs a broken connection, so "● connected" and
// "✗ disconnected" follow the server within seconds.

// DefaultPingEvery is how often Run checks the connection.
const DefaultPingEvery = 5 * time.Second

type (
	// pingTickMsg is the connection timer.
	pingTickMsg struct{}
	// driverLogMsg is one line the MySQL driver logged while the screen
	// was up; it is not printed (it would land over the screen), it only
	// makes the screen re-check the connection.
	driverLogMsg struct{ line string }
)

// pingTick schedules the next connection check.
func (m Model) pingTick() tea.Cmd {
	if m.opts.PingEvery <= 0 {
		return nil
	}
	return tea.Tick(m.opts.PingEvery, func(time.Time) tea.Msg { return pingTickMsg{} })
}

// updateConn handles the connection messages; ok is false for others.
func (m Model) updateConn(msg tea.Msg) (Model, tea.Cmd, bool) {
	switch msg := msg.(type) {
	case pingMsg:
		m.gotPing(msg)
		return m, nil, true
	case pingTickMsg:
		if m.pinging {
			return m, m.pingTick(), true
		}
		m.pinging = true
		return m, tea.Batch(m.ping(), m.pingTick()), true
	case driverLogMsg:
		if m.pinging {
			return m, nil, true
		}
		m.pinging = true
		return m, m.ping(), true
	}
	return m, nil, false
}

// gotPing records a ping's answer. A status line that only said the
// server was down is replaced when it is back.
func (m *Model) gotPing(msg pingMsg) {
	wasDown := m.connErr
	m.pinged, m.pinging, m.version, m.connErr = true, false, msg.version, ""
	if msg.err != nil {
		m.connErr = msg.err.Error()
		if wasDown == "" { // said once, when it goes down, not every few seconds
			m.setStatus("", msg.err)
		}
		return
	}
	if wasDown != "" && m.statusErr && m.status == wasDown {
		m.setStatus("connected again to "+m.opts.ServerLabel, nil)
	}
}

// recheckKey is R outside text entry: reload every tab and ping now.
func (m Model) recheckKey(k tea.KeyPressMsg) bool {
	return m.dialog == nil && !m.capturing() && k.String() == "R"
}
