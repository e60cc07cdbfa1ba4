package tui

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// bigChange is how many rows a DELETE or UPDATE must change to be marked.
const bigChange = 1000

var hasWhere = regexp.MustCompile(`(?i)\bwhere\b`)

// risky says why a transaction is marked on the Timeline ("" when it is
// not): a DROP or TRUNCATE, or a DELETE or UPDATE of more than bigChange
// rows, or, logged as a statement, without a WHERE.
func risky(ev engine.BinlogEvent) string {
	first := strings.ToUpper(strings.Fields(ev.Statement + " x")[0])
	switch {
	case ev.Kind == "DDL" && (first == "DROP" || first == "TRUNCATE"):
		return first
	case ev.Kind != "DELETE" && ev.Kind != "UPDATE":
		return ""
	case ev.Rows > bigChange:
		return fmt.Sprintf("%s of %s rows", ev.Kind, count(int64(ev.Rows)))
	case ev.Rows == 0 && ev.Statement != "" && !hasWhere.MatchString(ev.Statement):
		return ev.Kind + " without WHERE"
	}
	return ""
}

// windowLines are the top of the tab: the window in words, the bar with
// its gaps, a line marking the risky transactions (!) and the selected
// one (▲) under the bar, then each gap and lag spelled out.
func (t timelineTab) windowLines(width int) []string {
	w := t.window
	if w.Problem != "" {
		return []string{"  " + t.st.Error.Render(ansi.Truncate(engine.Printable("✗ "+w.Problem), max(10, width-4), "…"))}
	}
	loc := t.now().Location()
	day := func(x time.Time) string { return x.In(loc).Format("2006-01-02 15:04:05") }
	// Within the window's one day, times go without the date.
	oneDay := w.From.In(loc).Format("2006-01-02") == w.To.In(loc).Format("2006-01-02")
	short := func(x time.Time) string {
		if oneDay {
			return x.In(loc).Format("15:04:05")
		}
		return day(x)
	}
	to := short(w.To)
	out := []string{fmt.Sprintf("  Recoverable: any moment from %s to %s (%s)", day(w.From), to, ago(t.now(), w.To))}
	bw := max(10, width-4)
	out = append(out, "  "+t.bar(bw), "  "+t.marks(bw))
	const most = 2
	for i, g := range w.Gaps {
		if i == most {
			out = append(out, t.st.Error.Render(fmt.Sprintf("  ✗ and %d more gaps: lifeboat status lists them", len(w.Gaps)-most)))
			break
		}
		line := fmt.Sprintf("✗ gap %s – %s: %s", short(g.From), short(g.To), g.Reason)
		out = append(out, "  "+t.st.Error.Render(ansi.Truncate(engine.Printable(line), bw, "…")))
	}
	if w.Lag > time.Minute {
		out = append(out, "  "+t.st.Warn.Render(fmt.Sprintf("! the archive lags the server by %s: run lifeboat binlog sync", w.Lag.Round(time.Second))))
	}
	return append(out, t.offsiteLines(bw)...)
}

// offsiteLines say what the remotes add to the window: files only they
// hold (a restore pulls them), files not copied to one for 15 minutes, a
// remote that could not be listed; as status says it.
func (t timelineTab) offsiteLines(bw int) []string {
	o := t.window.Offsite
	var out []string
	if o.Files > 0 {
		line := fmt.Sprintf("%s only off-site (on %s): a restore pulls them, checked", plural(o.Files, "archive file"), strings.Join(o.On, ", "))
		out = append(out, "  "+t.st.Muted.Render(ansi.Truncate(engine.Printable(line), bw, "…")))
	}
	for _, b := range o.Behind {
		line := fmt.Sprintf("! %s not yet on remote %s (since %s)", plural(len(b.Files), "finished file"), b.Remote, b.Since.In(t.now().Location()).Format("15:04"))
		out = append(out, "  "+t.st.Warn.Render(ansi.Truncate(engine.Printable(line), bw, "…")))
	}
	if o.Problem != "" {
		out = append(out, "  "+t.st.Warn.Render(ansi.Truncate(engine.Printable("! "+o.Problem), bw, "…")))
	}
	return out
}

// cell is the bar cell of moment x, -1 when x is outside the window.
func (t timelineTab) cell(x time.Time, bw int) int {
	w := t.window
	span := w.To.Sub(w.From)
	if x.Before(w.From) || x.After(w.To) {
		return -1
	}
	if span <= 0 {
		return bw - 1
	}
	return min(bw-1, int(int64(bw)*int64(x.Sub(w.From))/int64(span)))
}

// bar is the window, bw cells wide: ━ recoverable, ░ a gap.
func (t timelineTab) bar(bw int) string {
	w := t.window
	cells := []rune(strings.Repeat("━", bw))
	span := w.To.Sub(w.From)
	for _, g := range w.Gaps {
		if g.From.IsZero() || g.To.IsZero() || span <= 0 {
			continue
		}
		for i := range cells {
			from := w.From.Add(span * time.Duration(i) / time.Duration(bw))
			to := w.From.Add(span * time.Duration(i+1) / time.Duration(bw))
			if g.From.Before(to) && g.To.After(from) {
				cells[i] = '░'
			}
		}
	}
	return t.styleRuns(cells, map[rune]lipgloss.Style{'━': t.st.OK, '░': t.st.Error})
}

// marks is the line under the bar: ! under each risky transaction shown,
// ▲ under the selected one.
func (t timelineTab) marks(bw int) string {
	cells := []rune(strings.Repeat(" ", bw))
	for _, ev := range t.shown {
		if i := t.cell(ev.Time, bw); i >= 0 && risky(ev) != "" {
			cells[i] = '!'
		}
	}
	if ev, ok := t.selected(); ok {
		if i := t.cell(ev.Time, bw); i >= 0 {
			cells[i] = '▲'
		}
	}
	return strings.TrimRight(t.styleRuns(cells, map[rune]lipgloss.Style{'!': t.st.Warn, '▲': t.st.Title}), " ")
}

// styleRuns renders cells with each run of one rune in its style.
func (t timelineTab) styleRuns(cells []rune, styles map[rune]lipgloss.Style) string {
	var b strings.Builder
	for i := 0; i < len(cells); {
		j := i
		for j < len(cells) && cells[j] == cells[i] {
			j++
		}
		run := string(cells[i:j])
		if st, ok := styles[cells[i]]; ok {
			run = st.Render(run)
		}
		b.WriteString(run)
		i = j
	}
	return b.String()
}
