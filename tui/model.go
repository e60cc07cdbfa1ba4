package tui

import (
	"context"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Options set up the screen.
type Options struct {
	DatabaseName string           // the application database, shown in the header
	ServerLabel  string           // "db1:3306"; Backend.ServerLabel() when empty
	NoColor      bool             // plain text, no escape codes (Run also honours NO_COLOR)
	Now          func() time.Time // the clock for "3 h ago"; time.Now when nil
	// Location is backup.timezone: every time on the screen is shown in
	// it, and the header names it. nil: the process's zone, not named.
	Location *time.Location
	// RefreshEvery reloads the tabs and pings the server this often, so
	// "last: 3 h ago" and the connection state stay true (0: never; Run
	// uses a minute).
	RefreshEvery time.Duration
	// ActivityEvery reloads the Activity tab this often while it is shown
	// (0: only with the refresh; Run uses DefaultActivityEvery).
	ActivityEvery time.Duration
	// PingEvery checks the connection this often, for the header's
	// indicator (0: only with the refresh; Run uses DefaultPingEvery).
	PingEvery time.Duration
	// OnJobStart and OnJobEnd are called (on the UI goroutine) when long
	// work starts and ends, so the caller can decide what SIGHUP does.
	OnJobStart func(kind string)
	OnJobEnd   func(kind string, err error)
}

// Minimum terminal size the screen is laid out for.
const (
	MinWidth  = 60
	MinHeight = 16
)

// Model is the root model: tabs, resize, global keys, the confirm dialog,
// the header, the running job and the status line. Tabs do the rest.
type Model struct {
	env
	opts    Options
	keys    globalKeys
	ckeys   confirmKeys
	help    help.Model
	width   int
	height  int
	tabs    []tab
	tab     int // the active one
	dialog  *confirm
	job     *job
	lastJob int
	jobs    *sync.WaitGroup

	status     string
	statusErr  bool
	statusFull bool // show the whole status, wrapped, not cut to one line
	version    string
	connErr    string
	pinged     bool
	pinging    bool // a ping is in flight (conn.go)
}

// New builds the root model; Run is the usual way in.
func New(ctx context.Context, b Backend, opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ServerLabel == "" {
		opts.ServerLabel = b.ServerLabel()
	}
	e := env{ctx: ctx, b: b, st: NewStyles(DefaultPalette, opts.NoColor), now: inZone(opts.Now, opts.Location), dbName: opts.DatabaseName}
	h := help.New()
	h.Styles = e.st.Help
	h.ShortSeparator = " · "
	tabs := newTabs(e)
	return Model{env: e, opts: opts, keys: newGlobalKeys(len(tabs)), ckeys: newConfirmKeys(), help: h,
		width: 80, height: 24, jobs: &sync.WaitGroup{}, tabs: tabs}
}

// Busy reports whether long work is running (the caller's SIGHUP policy).
func (m Model) Busy() bool { return m.job != nil }

// Init pings the server and loads every tab.
func (m Model) Init() tea.Cmd {
	return tea.Batch(m.reload(), m.tick(), m.pingTick(), m.activityTick())
}

// tick schedules the next periodic refresh.
func (m Model) tick() tea.Cmd {
	if m.opts.RefreshEvery <= 0 {
		return nil
	}
	return tea.Tick(m.opts.RefreshEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m Model) ping() tea.Cmd {
	ctx, b := m.ctx, m.b
	return func() tea.Msg { v, err := b.Ping(ctx); return pingMsg{v, err} }
}

func (m Model) reload() tea.Cmd {
	cmds := []tea.Cmd{m.ping()}
	for _, t := range m.tabs {
		cmds = append(cmds, t.load())
	}
	return tea.Batch(cmds...)
}

// Update routes: keys to the dialog, global keys or the active tab; data
// messages to every tab.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m.toTabs(msg) // a tab may lay out by it (Activity: is an error cut?)
	case activityTickMsg:
		return m.activityTicked()
	case pingMsg, pingTickMsg, driverLogMsg:
		m, cmd, _ := m.updateConn(msg)
		return m, cmd
	case statusMsg:
		m.setStatus(msg.text, msg.err)
		return m, nil
	case askMsg:
		c := msg.c.opened()
		m.dialog = &c
		return m, nil
	case actionDoneMsg:
		m.setStatus(msg.text, msg.err)
		return m, m.reload()
	case refreshMsg:
		return m, m.reload()
	case tickMsg:
		return m, tea.Batch(m.reload(), m.tick())
	case quitMsg:
		if m.job != nil && m.job.state == jobRunning && !m.job.spec.finish {
			m.job.state = jobCancelling
			m.job.cancel()
		}
		return m, tea.Quit
	case runJobMsg, progressMsg, jobDoneMsg, cancelJobMsg:
		return m.updateJob(msg)
	case tea.KeyPressMsg:
		return m.updateKey(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	}
	return m.toTabs(msg)
}

func (m *Model) setStatus(text string, err error) {
	m.status, m.statusErr, m.statusFull = text, err != nil, false
	if err != nil {
		m.status = err.Error()
	}
}

// toTabs gives a data message to every tab; each ignores what is not its.
func (m Model) toTabs(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.tabs = append([]tab(nil), m.tabs...) // Model is a value: never share the slice
	cmds := make([]tea.Cmd, len(m.tabs))
	for i, t := range m.tabs {
		m.tabs[i], cmds[i] = t.update(msg)
	}
	return m, tea.Batch(cmds...)
}

func (m Model) updateKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if m.dialog != nil {
		c, cmd, closed := m.dialog.update(k, m.ckeys)
		m.dialog = &c
		if closed {
			m.dialog = nil
		}
		return m, cmd
	}
	if m.recheckKey(k) {
		return m, m.reload()
	}
	if k.String() == "ctrl+c" || (!m.capturing() && key.Matches(k, m.keys.Quit)) {
		return m, m.askQuit()
	}
	if m.capturing() || (key.Matches(k, m.keys.Cancel) && m.wantsEsc()) {
		return m.toActive(k)
	}
	if c, ok := m.tabs[m.tab].(keyClaimer); ok && c.claims(k) {
		return m.toActive(k)
	}
	switch {
	case key.Matches(k, m.keys.Next):
		m.tab = (m.tab + 1) % len(m.tabs)
	case key.Matches(k, m.keys.Prev):
		m.tab = (m.tab + len(m.tabs) - 1) % len(m.tabs)
	case key.Matches(k, m.keys.TabN) && int(k.String()[0]-'1') < len(m.tabs):
		m.tab = int(k.String()[0] - '1')
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(k, m.keys.Message) && (m.statusFull || m.statusCut()):
		m.statusFull = !m.statusFull
	case key.Matches(k, m.keys.Cancel) && m.job != nil:
		return m, m.askCancel()
	default:
		return m.toActive(k)
	}
	return m, nil
}

// capturing is true while the active tab takes every key as text.
func (m Model) capturing() bool { return m.tabs[m.tab].capturing() }

// wantsEsc is true while esc means "back" in the active tab.
func (m Model) wantsEsc() bool { return m.tabs[m.tab].wantsEsc() }

func (m Model) toActive(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.tabs = append([]tab(nil), m.tabs...)
	var cmd tea.Cmd
	m.tabs[m.tab], cmd = m.tabs[m.tab].update(msg)
	return m, cmd
}
