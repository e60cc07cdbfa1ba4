package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// progressLine returns a progress.Func that redraws one line on stderr when
// it is a terminal and --json is off. A wait for a lock is said on stderr
// in any case, once per holder, so a script's log shows why it paused.
func (e *env) progressLine() progress.Func {
	draw := progress.Nop
	if !e.json && isTerminal(e.stderr) {
		draw = func(s progress.Snapshot) { fmt.Fprint(e.stderr, progressText(s)) }
	}
	var told string
	return func(s progress.Snapshot) {
		if s.Waiting == "" {
			draw(s)
			return
		}
		if s.Waiting != told {
			told = s.Waiting
			fmt.Fprintf(e.stderr, "lifeboat: %s… (Ctrl+C stops waiting)\n", engine.Printable(s.Waiting))
		}
	}
}

// progressText is one redraw of the line. The operation and the table name
// are data and go through engine.Printable: the line's own \r and
// erase-line are the only controls in it.
func progressText(s progress.Snapshot) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\r\033[K%s", engine.Printable(s.Op))
	if f := s.Fraction(); f >= 0 {
		fmt.Fprintf(&b, " %3.0f%%", f*100)
	}
	if s.Table != "" && !s.Done {
		fmt.Fprintf(&b, "  %s", engine.Printable(s.Table))
	}
	fmt.Fprintf(&b, "  %s rows  %s", humanize.Comma(s.Rows), engine.FormatSize(s.Bytes))
	if secs := s.Elapsed.Seconds(); secs > 0.5 {
		fmt.Fprintf(&b, "  %s/s", engine.FormatSize(int64(float64(s.Bytes)/secs)))
	}
	if r := s.Remaining(); r > 0 && !s.Done {
		fmt.Fprintf(&b, "  %s left", r.Round(time.Second))
	}
	if s.Done {
		b.WriteString("\r\033[K")
	}
	return b.String()
}
