package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// pointPlanMsg is the engine's plan for "restore to just before ev".
type pointPlanMsg struct {
	plan engine.PointPlan
	opts engine.PointOptions
	ev   engine.BinlogEvent
	err  error
}

// pointStop is the stop just before ev: its GTID, or its place in the
// log when it has none. With no backup named, the engine starts from the
// newest backup whose snapshot is before it.
func pointStop(ev engine.BinlogEvent) engine.PointOptions {
	if ev.GTID != "" {
		return engine.PointOptions{UntilGTID: ev.GTID}
	}
	return engine.PointOptions{UntilPosition: fmt.Sprintf("%s:%d", ev.File, ev.Position)}
}

// planPointRestore asks the engine what restoring to just before ev would
// do; the answer opens the typed-name confirmation.
func (t timelineTab) planPointRestore(ev engine.BinlogEvent) tea.Cmd {
	if c := t.allowed(engine.ActionRestore); c != nil {
		return c
	}
	ctx, b, opts := t.ctx, t.b, pointStop(ev)
	return func() tea.Msg {
		plan, err := b.PlanPointRestore(ctx, "", opts)
		return pointPlanMsg{plan: plan, opts: opts, ev: ev, err: err}
	}
}

// askPointRestore shows the plan, as the CLI prints it, and asks for the
// target database's name.
func (t timelineTab) askPointRestore(msg pointPlanMsg) tea.Cmd {
	ev := msg.ev
	if msg.err != nil {
		return fail(fmt.Errorf("restore to just before %s: %w", eventLabel(ev), msg.err))
	}
	p, b, opts := msg.plan, t.b, msg.opts
	loc := t.now().Location()
	at := func(e *engine.BinlogEvent) string { return e.Time.In(loc).Format("2006-01-02 15:04:05") }
	lines := []string{
		fmt.Sprintf("Database %s goes back to just before", p.Database),
		fmt.Sprintf("%s at %s: %s.", eventLabel(ev), at(&ev), eventSummary(ev)),
		fmt.Sprintf("Base backup %s (taken %s),", p.Base, p.BaseAt.In(loc).Format("2006-01-02 15:04:05")),
		fmt.Sprintf("then %s of %s replayed from %s.", plural(p.Transactions, "transaction"), p.Source, plural(len(p.Files), "archive file")),
	}
	if p.First != nil {
		lines = append(lines, fmt.Sprintf("First %s %s, last %s %s.", at(p.First), orDash(p.First.GTID), at(p.Last), orDash(p.Last.GTID)))
	}
	lines = append(lines, "It and everything after it are not applied.", restoreSafetyLine(p.Restore, p.Database))
	for _, w := range p.Restore.Warnings {
		lines = append(lines, "! "+w)
	}
	run := runJob(jobSpec{kind: "restore", title: "restore " + p.Database + " to just before " + eventLabel(ev), finish: true,
		run: func(ctx context.Context, fn progress.Func) (string, error) {
			res, err := b.RestorePoint(ctx, "", opts, fn)
			if err != nil {
				return "", err
			}
			text := fmt.Sprintf("restored %s into %s and replayed %s, stopping %s, in %s", res.Plan.Base, res.Plan.Database,
				plural(res.Plan.Transactions, "transaction"), res.Plan.Stop, shortDur(res.Duration))
			return text + restoreDoneNote(res.Restore), nil
		}})
	return ask(confirm{title: "Restore to just before this?", lines: lines, typed: p.Database, onYes: run})
}

// eventLabel names a transaction: "GTID 0-1-42", or its place in the log.
func eventLabel(ev engine.BinlogEvent) string {
	if ev.GTID != "" {
		return "GTID " + ev.GTID
	}
	return fmt.Sprintf("%s:%d", ev.File, ev.Position)
}

// eventSummary says what a transaction did: "DELETE of 1,234 rows on
// app.translations", or a DDL's statement.
func eventSummary(ev engine.BinlogEvent) string {
	if ev.Kind == "DDL" {
		return strings.Join(strings.Fields(ev.Statement), " ")
	}
	s := ev.Kind
	switch {
	case ev.Rows == 1:
		s += " of 1 row"
	case ev.Rows > 1:
		s += " of " + count(int64(ev.Rows)) + " rows"
	}
	if len(ev.Tables) > 0 {
		s += " on " + nameList(ev.Tables)
	}
	return s
}
