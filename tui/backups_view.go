package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func (t backupsTab) view(width, height int) string {
	if t.details {
		if sel, ok := t.selected(); ok {
			return detailsView(t.st, sel, t.now().Location(), width, height)
		}
	}
	top := t.strip(width)
	if t.filtering || t.filter.Value() != "" {
		f := t.filter.prompt + t.filter.Value()
		if t.filtering {
			f = t.filter.view()
		}
		top = lipgloss.NewStyle().MaxWidth(width).Render(top) + "\n  " + f
	}
	room := height - lipgloss.Height(top)
	var body string
	switch {
	case !t.loaded:
		body = "  loading backups…"
	case t.loadErr != nil && len(t.all) == 0:
		body = errorBody(t.st, "could not read the backups: ", t.loadErr, width)
	case t.loadErr != nil:
		body = "  " + t.st.Error.Render("✗ could not refresh: "+engine.Printable(t.loadErr.Error())) + "\n" + t.table.view(t.st, width, room-1)
	case len(t.shown) == 0 && len(t.all) > 0:
		body = "  no backup matches the filter"
	case len(t.shown) == 0:
		body = "  no backups yet: press n to take the first one"
	default:
		body = t.table.view(t.st, width, room)
	}
	return top + "\n" + body
}

// strip is the health line: dir, writable, free, kept, age of the last.
func (t backupsTab) strip(width int) string {
	s := t.status
	if t.statusErr != nil {
		return "  " + t.st.Error.Render("✗ "+engine.Printable(t.statusErr.Error()))
	}
	if s == nil {
		return "  " + t.st.Muted.Render("checking the backup directory…")
	}
	line := t.healthLine(s, width)
	// A restore cut short or a database that shrank must not scroll away.
	for _, w := range append(append([]string{}, s.Interrupted...), s.Shrank) {
		if w != "" {
			line += "\n" + lipgloss.NewStyle().Width(width).PaddingLeft(2).Render(t.st.Danger.Render("✗ "+engine.Printable(w)))
		}
	}
	return line
}

func (t backupsTab) healthLine(s *engine.Status, width int) string {
	var parts []string
	switch {
	case !s.DirExists:
		parts = append(parts, t.st.Danger.Render("✗ missing"))
	case !s.DirWritable:
		parts = append(parts, t.st.Danger.Render("✗ not writable"))
	default:
		parts = append(parts, t.st.OK.Render("✓ writable"))
	}
	free := size(int64(s.FreeBytes)) + " free"
	if s.LowSpace {
		free = t.st.Warn.Render(free + " (low)")
	}
	kept := fmt.Sprintf("%d of %d kept", s.Total, s.Keep)
	parts = append(parts, free)
	last := "last: none"
	if s.LastComplete != nil {
		last = "last: " + ago(t.now(), s.LastComplete.CreatedAt)
	}
	if s.Stale {
		last = t.st.Warn.Render(last + " (stale)")
	}
	// Narrow windows lose the directory, then the counts; never the health.
	for _, p := range [][]string{{engine.Printable(s.Dir)}, {}} {
		line := "  " + strings.Join(append(append(p, parts[:2]...), kept, last), "  ")
		if lipgloss.Width(line) <= width {
			return line
		}
	}
	return "  " + strings.Join(append(parts, last), "  ")
}

func detailsView(st Styles, b engine.BackupInfo, loc *time.Location, width, height int) string {
	lines := []string{"  " + st.Title.Render(engine.Printable(b.Filename)), ""}
	add := func(k, v string) { lines = append(lines, fmt.Sprintf("  %-14s %s", k, engine.Printable(v))) }
	add("state", stateLabel(b.State))
	add("size", size(b.Size))
	add("created", stamp(b.CreatedAt.In(loc))+" by "+orDash(b.CreatedBy))
	if m := b.Manifest; m != nil {
		add("server", m.ServerVersion)
		add("databases", strings.Join(m.Databases, ", "))
		add("compression", m.Compression)
		if m.Encrypted {
			add("encryption", "age ("+engine.EncryptionLabel(b)+"), "+plural(len(m.Recipients), "recipient"))
		}
		add("consistency", m.Consistency)
		if m.Binlog != nil {
			add("binlog", fmt.Sprintf("%s:%d %s", m.Binlog.File, m.Binlog.Position, m.Binlog.GTID))
		}
		add("sha256", m.SHA256)
		add("duration", shortDur(msDur(m.DurationMS)))
		if v := m.Verify; v != nil {
			how := "read"
			if v.Restore {
				how = "restored"
			}
			res := "ok"
			if !v.OK {
				res = "FAILED " + v.Detail
			}
			add("last verify", fmt.Sprintf("%s (%s) %s by %s", stamp(v.At.In(loc)), how, res, v.By))
		} else {
			add("last verify", "never")
		}
		lines = append(lines, "", st.ColHeader.Render(fmt.Sprintf("  %-40s %12s", "TABLE", "ROWS")))
		names := make([]string, 0, len(m.Tables))
		for n := range m.Tables {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			lines = append(lines, fmt.Sprintf("  %-40s %12s", engine.Printable(n), count(m.Tables[n])))
		}
	} else {
		add("manifest", "none: this file is "+string(b.State))
	}
	if len(lines) > height {
		more := len(lines) - height + 1
		lines = append(lines[:height-1], st.Muted.Render(fmt.Sprintf("  … %d more lines", more)))
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(strings.Join(lines, "\n"))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (t backupsTab) help() ([]key.Binding, [][]key.Binding) {
	k := t.keys
	if t.filtering {
		b := []key.Binding{bind([]string{"enter"}, "enter", "keep filter"), bind([]string{"esc"}, "esc", "clear filter")}
		return b, [][]key.Binding{b}
	}
	if t.details {
		return []key.Binding{k.Back}, [][]key.Binding{{k.Back}}
	}
	return []key.Binding{k.New, k.Restore, k.Verify, k.Delete, k.Prune, k.Filter},
		[][]key.Binding{{k.Up, k.Down, k.Details, k.Filter, k.Refresh}, {k.New, k.Verify, k.VerifyRestore}, {k.Restore, k.Delete, k.Prune}}
}
