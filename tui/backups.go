package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// backupsTab is the Full backups tab: status strip, table, filter, details.
type backupsTab struct {
	env
	keys      backupsKeys
	all       []engine.BackupInfo
	shown     []engine.BackupInfo
	status    *engine.Status
	loaded    bool
	loadErr   error // the last List failure, shown in place of the table
	statusErr error // the last Status failure, shown in the strip
	table     listTable
	filter    listFilter
	details   bool
	scroll    *detailScroll // details.go; shared by the tab's copies
}

func newBackupsTab(e env) backupsTab {
	return backupsTab{env: e, keys: newBackupsKeys(), filter: newListFilter(), table: listTable{cols: backupColumns(false)}, scroll: &detailScroll{}}
}

// backupColumns are the table's columns; a DATABASE column appears when
// the directory holds backups of more than one database.
// On a narrow screen ROWS goes first, then CREATED, SIZE and STATE; with
// a DATABASE column, SIZE goes before it and CREATED.
func backupColumns(manyDatabases bool) []column {
	if manyDatabases {
		return []column{
			{title: "NAME", width: 20},
			{title: "DATABASE", width: 8, drop: 3, shrink: true},
			{title: "CREATED", width: 16, drop: 4},
			{title: "SIZE", width: 6, right: true, drop: 2},
			{title: "ROWS", width: 6, right: true, drop: 1},
			{title: "STATE", width: 10, drop: 5},
		}
	}
	return []column{
		{title: "NAME", width: 20},
		{title: "CREATED", width: 16, drop: 2},
		{title: "SIZE", width: 6, right: true, drop: 3},
		{title: "ROWS", width: 6, right: true, drop: 1},
		{title: "STATE", width: 10, drop: 4},
	}
}

// load fetches the list and the status strip.
func (t backupsTab) load() tea.Cmd {
	ctx, b := t.ctx, t.b
	return tea.Batch(
		func() tea.Msg { l, err := b.List(ctx, 0); return backupsLoadedMsg{l, err} },
		func() tea.Msg { s, err := b.Status(ctx); return statusLoadedMsg{s, err} },
	)
}

// capturing is true while every key is text for the filter.
func (t backupsTab) capturing() bool { return t.filter.typing }

// wantsEsc is true when esc means "back" here rather than "cancel job".
func (t backupsTab) wantsEsc() bool { return t.filter.typing || t.details }

func (t backupsTab) selected() (engine.BackupInfo, bool) {
	if len(t.shown) == 0 {
		return engine.BackupInfo{}, false
	}
	return t.shown[t.table.cursor], true
}

func (t backupsTab) update(msg tea.Msg) (tab, tea.Cmd) {
	switch msg := msg.(type) {
	case backupsLoadedMsg:
		t.loaded = true
		if msg.err != nil {
			// Shown in the tab, not the status line, which keeps saying
			// what the last action did.
			t.loadErr = msg.err
			return t, nil
		}
		t.all, t.loadErr = msg.list, nil
		t.applyFilter()
		t.detailsGone()
	case statusLoadedMsg:
		t.statusErr = nil
		if msg.err != nil {
			t.statusErr = fmt.Errorf("could not check the backup directory: %w", msg.err)
			return t, nil
		}
		t.status = &msg.status
	case restorePlanMsg:
		return t, t.askRestore(msg)
	case prunePlanMsg:
		return t, t.askPrune(msg)
	case undoPlanMsg:
		return t, t.askUndo(msg)
	case tea.KeyPressMsg:
		return t.key(msg)
	case tea.PasteMsg:
		if t.filter.typing {
			t.filter = t.filter.update(msg)
			t.applyFilter()
		}
	}
	return t, nil
}

func (t backupsTab) key(k tea.KeyPressMsg) (backupsTab, tea.Cmd) {
	if t.filter.typing {
		t.filter = t.filter.update(k)
		t.applyFilter()
		return t, nil
	}
	sel, ok := t.selected()
	if t.details && ok {
		return t.detailsKey(k, sel)
	}
	switch {
	case key.Matches(k, t.keys.Up):
		t.table.move(-1)
	case key.Matches(k, t.keys.Down):
		t.table.move(1)
	case key.Matches(k, t.keys.Filter):
		t.filter = t.filter.start()
	case key.Matches(k, t.keys.Refresh):
		return t, t.load()
	case key.Matches(k, t.keys.New):
		return t, t.startBackup()
	case key.Matches(k, t.keys.Prune):
		return t, t.planPrune()
	case key.Matches(k, t.keys.Undo):
		return t, t.planUndo()
	case !ok && key.Matches(k, t.keys.Details, t.keys.Verify, t.keys.VerifyRestore, t.keys.Restore, t.keys.Delete):
		return t, say("no backup selected")
	case key.Matches(k, t.keys.Details):
		t.openDetails(sel)
	default:
		return t, t.actOn(k, sel)
	}
	return t, nil
}

// actOn runs the keys that act on one backup (verify, verify by
// restoring, restore, delete), from the table and from the details view.
func (t backupsTab) actOn(k tea.KeyPressMsg, sel engine.BackupInfo) tea.Cmd {
	switch {
	case key.Matches(k, t.keys.Verify):
		return t.startVerify(sel.Filename, false)
	case key.Matches(k, t.keys.VerifyRestore):
		return t.startVerify(sel.Filename, true)
	case key.Matches(k, t.keys.Restore):
		return t.planRestore(sel.Filename)
	case key.Matches(k, t.keys.Delete):
		return t.askDelete(sel.Filename)
	}
	return nil
}

// applyFilter rebuilds the table from the list and the filter, keeping
// the cursor on the same file when it is still shown.
func (t *backupsTab) applyFilter() {
	prev, _ := t.selected()
	q := strings.ToLower(t.filter.Value())
	t.shown = t.shown[:0:0]
	for _, bi := range t.all {
		if q == "" || strings.Contains(strings.ToLower(bi.Filename), q) {
			t.shown = append(t.shown, bi)
		}
	}
	many := engine.ManyDatabases(t.all)
	t.table.cols = backupColumns(many)
	where := hasLocations(t.all) // with [[remote]]: the WHERE column (backups_remote.go)
	if where {
		t.table.cols = append(t.table.cols, whereColumn)
	}
	rows := make([][]string, len(t.shown))
	for i, bi := range t.shown {
		rowCount := "-"
		if bi.Rows > 0 {
			rowCount = count(bi.Rows)
		}
		state := safetyLabel(bi)
		row := []string{bi.Filename}
		if many {
			row = append(row, strings.Join(bi.Databases, ","))
		}
		rows[i] = append(row, stamp(bi.CreatedAt.In(t.now().Location())), size(bi.Size), rowCount, state)
		if where {
			rows[i] = append(rows[i], bi.Where())
		}
	}
	t.table.setRows(rows)
	for i, bi := range t.shown {
		if bi.Filename == prev.Filename {
			t.table.cursor = i
		}
	}
}

// safetyLabel is the STATE cell: a complete or verified safety backup is
// "safety" (short, so ROWS keeps its place at 80 columns); anything else
// says its state and that it is one.
func safetyLabel(b engine.BackupInfo) string {
	switch {
	case !b.Encrypted:
		return plainSafetyLabel(b)
	case b.Opens == engine.OpensYes:
		return plainSafetyLabel(b) + " · age"
	}
	return plainSafetyLabel(b) + " · age, no key" // the details say which
}

func plainSafetyLabel(b engine.BackupInfo) string {
	switch {
	case !b.Safety:
		return stateLabel(b.State)
	case b.State == engine.StateComplete:
		return "safety"
	case b.State == engine.StateVerified:
		return "✓ safety"
	}
	return stateLabel(b.State) + " (safety)"
}

func stateLabel(s engine.State) string {
	switch s {
	case engine.StateVerified:
		return "✓ verified"
	case engine.StateCorrupt:
		return "✗ corrupt"
	case "":
		return "?"
	}
	return string(s)
}

func (t backupsTab) startBackup() tea.Cmd {
	if c := t.allowed(engine.ActionCreate); c != nil {
		return c
	}
	b := t.b
	return runJob(jobSpec{kind: "backup", title: "new full backup", run: func(ctx context.Context, fn progress.Func) (string, error) {
		res, err := b.Backup(ctx, engine.BackupOptions{Reason: "manual"}, fn)
		if err != nil {
			return "", fmt.Errorf("backup: %w", err)
		}
		return fmt.Sprintf("%s done: %s, %s, %s rows, %s",
			res.Filename, size(res.Size), plural(res.Tables, "table"), count(res.Rows), shortDur(res.Duration)), nil
	}})
}

func (t backupsTab) startVerify(name string, restore bool) tea.Cmd {
	if c := t.allowed(engine.ActionVerify); c != nil {
		return c
	}
	b, title := t.b, "verify "+name
	if restore {
		title += " by restoring it"
	}
	return runJob(jobSpec{kind: "verify", title: title, run: func(ctx context.Context, fn progress.Func) (string, error) {
		res, err := b.Verify(ctx, name, engine.VerifyOptions{Restore: restore}, fn)
		if err != nil {
			return "", fmt.Errorf("verify %s: %w", name, err)
		}
		for _, c := range res.Checks {
			if !c.OK && !c.Info {
				return "", fmt.Errorf("verify %s: %s failed: %s", name, c.Name, c.Detail)
			}
		}
		if !res.OK {
			return "", fmt.Errorf("verify %s: failed", name)
		}
		return fmt.Sprintf("verify %s: ok, %s", name, res.Summary()), nil
	}})
}
