package tui

import (
	"fmt"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// ago says how long before now t was, shortly: "3 h ago".
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "never"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%d d ago", int(d.Hours()/24))
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04")
}

// size prints a size the one way lifeboat does (engine.FormatSize).
func size(n int64) string { return engine.FormatSize(n) }

func count(n int64) string { return humanize.Comma(n) }

// shortDur prints a duration for people: "1.2s", "3m04s".
func shortDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// plural says "1 table", "3 tables".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func msDur(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
