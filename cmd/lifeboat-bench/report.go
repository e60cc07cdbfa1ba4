package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
)

// series is every run of one tool for one operation.
type series struct {
	name    string
	samples []sample
	err     error // the last failure, shown when no run succeeded
}

func (s *series) add(x sample) {
	if x.Err != nil {
		s.err = x.Err
		return
	}
	s.samples = append(s.samples, x)
}

func (s *series) ok() bool { return len(s.samples) > 0 }

// median of one measure over the successful runs.
func (s *series) median(f func(sample) float64) float64 {
	v := make([]float64, 0, len(s.samples))
	for _, x := range s.samples {
		v = append(v, f(x))
	}
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func wall(x sample) float64      { return x.Wall.Seconds() }
func cpu(x sample) float64       { return x.CPU.Seconds() }
func serverCPU(x sample) float64 { return x.ServerCPU.Seconds() }
func rss(x sample) float64       { return float64(x.RSS) }
func size(x sample) float64      { return float64(x.Size) }

// printTable writes one Markdown table; refs are the series the ratio
// columns compare wall time against.
func printTable(w io.Writer, title string, rows []*series, refs ...*series) {
	fmt.Fprintf(w, "\n### %s\n\n", title)
	head := "| tool | wall | CPU | server CPU | peak RSS | size |"
	rule := "|---|---:|---:|---:|---:|---:|"
	for _, r := range refs {
		head += " wall vs " + cell(r.name) + " |"
		rule += "---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	for _, s := range rows {
		if !s.ok() {
			fmt.Fprintf(w, "| %s | n/a: %s |%s\n", cell(s.name), cell(oneLine(s.err)), strings.Repeat(" |", 4+len(refs)))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |", cell(s.name), secs(s.median(wall)), secs(s.median(cpu)),
			secs(s.median(serverCPU)), humanize.IBytes(uint64(s.median(rss))), humanize.IBytes(uint64(s.median(size))))
		for _, r := range refs {
			fmt.Fprintf(w, " %s |", ratio(s, r, wall))
		}
		fmt.Fprintln(w)
	}
}

// target is one goal from the performance issue.
type target struct {
	what  string
	value float64 // measured ratio or amount
	limit float64
	unit  string // "×" or "MB"
	known bool
}

func printTargets(w io.Writer, ts []target) {
	fmt.Fprintln(w, "\n### Targets\n\n| target | measured | result |\n|---|---:|---|")
	for _, t := range ts {
		if !t.known {
			fmt.Fprintf(w, "| %s | n/a | n/a |\n", cell(t.what))
			continue
		}
		verdict := "FAIL"
		if t.value <= t.limit {
			verdict = "pass"
		}
		fmt.Fprintf(w, "| %s | %.2f%s | %s |\n", cell(t.what), t.value, t.unit, verdict)
	}
}

func ratio(s, ref *series, f func(sample) float64) string {
	if !s.ok() || !ref.ok() || ref.median(f) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", s.median(f)/ref.median(f))
}

func ratioTarget(what string, s, ref *series, f func(sample) float64, limit float64) target {
	t := target{what: what, limit: limit, unit: "×"}
	if s.ok() && ref.ok() && ref.median(f) > 0 {
		t.value, t.known = s.median(f)/ref.median(f), true
	}
	return t
}

func secs(v float64) string {
	return time.Duration(v * float64(time.Second)).Round(10 * time.Millisecond).String()
}

// cell escapes the Markdown table separator.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func oneLine(err error) string {
	if err == nil {
		return "no successful run"
	}
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
