package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// The picker of a whole-server restore (issue 17): before the typed
// confirmation, the user picks every database of the file or one of them
// (restore --database), and whether the file's accounts come too
// (--accounts). The engine then plans exactly that choice, and the
// confirmation shows that plan.

// partsPick is the picker's state; it lives in the confirm dialog.
type partsPick struct {
	name      string
	databases []string // the file's application databases, in file order
	skipped   []string // system schemas of the file, never restored
	accounts  int64    // account statements in the file
	cursor    int      // 0: all the databases (when there are several), then one each
	withAcc   bool
	next      func(engine.RestoreOptions) tea.Cmd // plans the choice
}

type pickKeys struct {
	Up, Down, Accounts, Next key.Binding
}

var pickKeyMap = pickKeys{
	Up:       bind([]string{"up", "k"}, "↑/k", "up"),
	Down:     bind([]string{"down", "j"}, "↓/j", "down"),
	Accounts: bind([]string{"a", "space"}, "a", "accounts on/off"),
	Next:     bind([]string{"enter"}, "enter", "show the plan"),
}

// pickHelp is the footer while the picker is open.
func pickHelp(c confirmKeys) []key.Binding {
	return []key.Binding{pickKeyMap.Up, pickKeyMap.Down, pickKeyMap.Accounts, pickKeyMap.Next, c.Esc}
}

// needsPick reports a plan with a choice to make: several databases, or
// accounts that may come too.
func needsPick(p engine.RestorePlan) bool {
	return p.Parts != nil && (len(p.Parts.Databases) > 1 || p.Parts.AccountsInFile > 0)
}

// pickParts opens the picker on the plan of the whole file.
func (t backupsTab) pickParts(msg restorePlanMsg) tea.Cmd {
	ctx, b, name := t.ctx, t.b, msg.name
	p := partsPick{name: name, skipped: msg.plan.Parts.Skipped, accounts: msg.plan.Parts.AccountsInFile}
	for _, d := range msg.plan.Parts.Databases {
		p.databases = append(p.databases, d.Source)
	}
	p.next = func(o engine.RestoreOptions) tea.Cmd {
		return func() tea.Msg {
			plan, err := b.PlanRestore(ctx, name, o)
			return restorePlanMsg{plan: plan, name: name, err: err, picked: &o}
		}
	}
	c := confirm{title: "Restore " + name + "?", pick: &p}
	c.lines = p.lines()
	return ask(c)
}

// rows are the choices, in cursor order (a file of one database and
// accounts: that database, the choice being the accounts).
func (p partsPick) rows() []string {
	if len(p.databases) == 1 {
		return []string{p.databases[0]}
	}
	var out []string
	if len(p.databases) > 1 {
		out = append(out, fmt.Sprintf("all %s: %s", plural(len(p.databases), "database"), strings.Join(p.databases, ", ")))
	}
	for _, db := range p.databases {
		out = append(out, db+" only")
	}
	return out
}

// options are the restore options of the current choice.
func (p partsPick) options() engine.RestoreOptions {
	o := engine.RestoreOptions{Accounts: p.withAcc}
	if i := p.cursor - (len(p.rows()) - len(p.databases)); i >= 0 && len(p.databases) > 1 {
		o.Database = p.databases[i]
	}
	return o
}

func (p partsPick) lines() []string {
	what := plural(len(p.databases), "database")
	if p.accounts > 0 { // a foreign file's count is of statements: the plan names the accounts
		what += " and accounts"
	}
	out := []string{"This backup holds " + what + ". Restore:"}
	for i, r := range p.rows() {
		mark := "  "
		if i == p.cursor {
			mark = "> "
		}
		out = append(out, mark+r)
	}
	if p.accounts > 0 {
		box := "[ ]"
		if p.withAcc {
			box = "[x]"
		}
		out = append(out, "", box+" and the accounts (a); any already here are left as they are")
	}
	if len(p.skipped) > 0 {
		out = append(out, "Never restored: "+strings.Join(p.skipped, ", ")+" (system schema).")
	}
	return out
}

// updatePick handles a key while the picker is open; enter plans the
// choice (the confirmation follows), esc cancels.
func (c confirm) updatePick(msg tea.Msg, keys confirmKeys) (confirm, tea.Cmd, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return c, nil, false
	}
	p := *c.pick
	switch {
	case key.Matches(k, keys.Esc):
		return c, c.declined(), true
	case key.Matches(k, pickKeyMap.Next):
		return c, p.next(p.options()), true
	case key.Matches(k, pickKeyMap.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(k, pickKeyMap.Down):
		p.cursor = min(len(p.rows())-1, p.cursor+1)
	case key.Matches(k, pickKeyMap.Accounts) && p.accounts > 0:
		p.withAcc = !p.withAcc
	default:
		return c, nil, false
	}
	c.pick, c.lines = &p, printableAll(p.lines())
	return c, nil, false
}

// pickPrompt is the picker's answer line.
func pickPrompt(st Styles) []string {
	return []string{st.Danger.Render("enter") + " show the plan   " + st.Muted.Render("esc") + " cancel"}
}
