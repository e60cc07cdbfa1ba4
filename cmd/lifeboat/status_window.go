package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// recoverableWindowJSON is status --json's "recoverable_window" (with [binlog]).
type recoverableWindowJSON struct {
	From    string          `json:"from"`
	To      string          `json:"to"`
	Base    string          `json:"base_backup"`
	Gaps    []windowGapJSON `json:"gaps"`
	LagMS   int64           `json:"lag_ms"`
	Problem string          `json:"problem"`
	Server  string          `json:"server_problem"` // e.g. the account lacks BINLOG MONITOR
	// Offsite is what the remotes add (binlog_remote.go); absent without remotes.
	Offsite *windowOffsiteJSON `json:"offsite,omitempty"`
}

type windowGapJSON struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Files  []string `json:"files"`
	Reason string   `json:"reason"`
}

// window is the recoverable window, nil without [binlog]; an error reading
// it becomes its problem, as status reports and does not fail.
func (e *env) window(ctx context.Context) *engine.RecoverableWindow {
	w, err := e.eng.RecoverableWindow(ctx, false)
	if err != nil {
		return &engine.RecoverableWindow{Problem: err.Error()}
	}
	return w
}

func (e *env) windowJSON(w *engine.RecoverableWindow) *recoverableWindowJSON {
	if w == nil {
		return nil
	}
	out := &recoverableWindowJSON{From: e.seedTime(w.From), To: e.seedTime(w.To), Base: w.Base, Gaps: []windowGapJSON{},
		LagMS: w.Lag.Milliseconds(), Problem: w.Problem, Server: w.Server, Offsite: windowOffsiteOf(w.Offsite)}
	for _, g := range w.Gaps {
		out.Gaps = append(out.Gaps, windowGapJSON{From: e.seedTime(g.From), To: e.seedTime(g.To), Files: orEmpty(g.Files), Reason: g.Reason})
	}
	return out
}

// printWindow is status's "recovery" line: any moment from ... to ... (N ago).
func (e *env) printWindow(w *engine.RecoverableWindow) {
	if w == nil {
		return
	}
	if w.Problem != "" {
		safef(e.stdout, "recovery   ✗ %s\n", w.Problem)
		e.printWindowOffsite(w.Offsite)
		return
	}
	day := func(t time.Time) string { return t.In(e.eng.Loc).Format("2006-01-02 15:04:05") }
	to := day(w.To)
	if w.From.In(e.eng.Loc).YearDay() == w.To.In(e.eng.Loc).YearDay() {
		to = w.To.In(e.eng.Loc).Format("15:04:05")
	}
	safef(e.stdout, "recovery   any moment from %s to %s (%s)\n", day(w.From), to, humanize.Time(w.To))
	for _, g := range w.Gaps {
		safef(e.stdout, "           ✗ gap %s: %s\n", strings.TrimSpace(fmt.Sprintf("%s – %s", day(g.From), day(g.To))), g.Reason)
	}
	if w.Server != "" {
		safef(e.stdout, "           ✗ %s\n", w.Server)
	}
	if w.Lag > time.Minute {
		safef(e.stdout, "           ✗ the archive lags the server by %s: run lifeboat binlog sync\n", w.Lag.Round(time.Second))
	}
	e.printWindowOffsite(w.Offsite)
}
