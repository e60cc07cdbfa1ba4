package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// progressView shows the running job: title and state, a bar with the
// percentage, then bytes, rows, the current table, speed and time left.
func progressView(st Styles, j *job, width int) string {
	s := j.snap
	state := j.state.String()
	if j.state == jobCancelling {
		state = st.Warn.Render("cancelling…")
	}
	title := st.Title.Render(capitalize(engine.Printable(j.spec.title)))
	lines := []string{" " + title + "  " + st.Muted.Render(state)}
	if s.Waiting != "" {
		return waitingView(st, j, lines, width)
	}
	lines = append(lines, " "+bar(st, s.Fraction(), max(10, width-8)))
	lines = append(lines, " "+strings.Join(counters(s), " · "))
	foot := []string{}
	if sp := speed(s); sp != "" {
		foot = append(foot, sp)
	}
	if left := s.Remaining(); left > 0 {
		foot = append(foot, clock(left)+" left")
	}
	foot = append(foot, clock(s.Elapsed)+" elapsed")
	if j.state == jobRunning {
		foot = append(foot, "esc cancel")
	}
	lines = append(lines, " "+st.Muted.Render(strings.Join(foot, " · ")))
	return lipgloss.NewStyle().MaxWidth(width).Render(strings.Join(lines, "\n"))
}

// waitingView is the job before it starts: whom it waits for (the lock's
// holder, from the engine), and that esc ends the wait.
func waitingView(st Styles, j *job, lines []string, width int) string {
	lines = append(lines, " "+st.Warn.Render(engine.Printable(j.snap.Waiting)+"…"))
	if j.state == jobRunning {
		lines = append(lines, " "+st.Muted.Render("esc cancel the wait"))
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(strings.Join(lines, "\n"))
}

// bar renders the fraction as a bar of width w ending in the percentage;
// an unknown fraction (-1) shows an empty bar and "…".
func bar(st Styles, f float64, w int) string {
	pct := "   …"
	if f >= 0 {
		pct = fmt.Sprintf(" %3.0f%%", f*100)
	}
	room := max(1, w-len(pct))
	full := 0
	if f > 0 {
		full = min(room, int(f*float64(room)+0.5))
	}
	fill := lipgloss.NewStyle().Foreground(st.BarFull)
	empty := lipgloss.NewStyle().Foreground(st.BarEmpty)
	if st.NoColor {
		fill, empty = lipgloss.NewStyle(), lipgloss.NewStyle()
	}
	return fill.Render(strings.Repeat("█", full)) + empty.Render(strings.Repeat("░", room-full)) + pct
}

func counters(s progress.Snapshot) []string {
	var out []string
	if s.Bytes > 0 || s.BytesTotal > 0 {
		b := size(s.Bytes)
		if s.BytesTotal > 0 {
			b += " of " + size(s.BytesTotal)
		}
		out = append(out, b)
	}
	r := count(s.Rows) + " rows"
	if s.RowsTotal > 0 {
		r = count(s.Rows) + " of ~" + count(s.RowsTotal) + " rows"
	}
	out = append(out, r)
	if s.Table != "" {
		t := "table " + engine.Printable(s.Table)
		if s.TablesTotal > 0 {
			t += fmt.Sprintf(" (%d/%d)", s.TablesDone, s.TablesTotal)
		}
		out = append(out, t)
	}
	return out
}

func speed(s progress.Snapshot) string {
	if s.Elapsed < 200*time.Millisecond || s.Bytes == 0 {
		return ""
	}
	return size(int64(float64(s.Bytes)/s.Elapsed.Seconds())) + "/s"
}

// clock prints a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, sec := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
