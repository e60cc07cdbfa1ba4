package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// progressLine returns a progress.Func that redraws one line on stderr when
// it is a terminal and --json is off; otherwise it reports nothing.
func (e *env) progressLine() progress.Func {
	if e.json || !isTerminal(e.stderr) {
		return progress.Nop
	}
	return func(s progress.Snapshot) {
		var b strings.Builder
		fmt.Fprintf(&b, "\r\033[K%s", s.Op)
		if f := s.Fraction(); f >= 0 {
			fmt.Fprintf(&b, " %3.0f%%", f*100)
		}
		if s.Table != "" && !s.Done {
			fmt.Fprintf(&b, "  %s", s.Table)
		}
		fmt.Fprintf(&b, "  %s rows  %s", humanize.Comma(s.Rows), humanize.Bytes(uint64(s.Bytes)))
		if secs := s.Elapsed.Seconds(); secs > 0.5 {
			fmt.Fprintf(&b, "  %s/s", humanize.Bytes(uint64(float64(s.Bytes)/secs)))
		}
		if r := s.Remaining(); r > 0 && !s.Done {
			fmt.Fprintf(&b, "  %s left", r.Round(time.Second))
		}
		if s.Done {
			b.WriteString("\r\033[K")
		}
		fmt.Fprint(e.stderr, b.String())
	}
}
