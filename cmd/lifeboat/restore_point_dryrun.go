package main

import (
	"path/filepath"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// pointDryRunJSON prints the plan of a point-in-time restore as JSON;
// the caller has only planned, so nothing changed.
func pointDryRunJSON(e *env, p engine.PointPlan) error {
	out := pointPlanJSON{Base: p.Base, BaseAt: e.seedTime(p.BaseAt), Database: p.Database, SourceDatabase: p.Source,
		Stop: p.Stop, StopFile: p.StopFile, StopPosition: p.StopPos, StartPosition: p.StartPos,
		Transactions: p.Transactions, First: eventJSON(e, p.First), Last: eventJSON(e, p.Last),
		Files: []string{}, SafetyBackup: p.Restore.SafetyBackup, Warnings: orEmpty(p.Restore.Warnings)}
	for _, f := range p.Files {
		out.Files = append(out.Files, filepath.Base(f))
	}
	if len(out.Files) > 0 {
		out.StartFile = out.Files[0]
	}
	return e.printJSON(pointPlanReply{Success: true, DryRun: true, Message: "Dry run: nothing was changed", Plan: out})
}

// eventJSON is one transaction as binlog events --json shows it; nil
// stays nil.
func eventJSON(e *env, ev *engine.BinlogEvent) *binlogEventJSON {
	if ev == nil {
		return nil
	}
	return &binlogEventJSON{Time: e.seedTime(ev.Time), GTID: ev.GTID, File: ev.File, Position: ev.Position,
		Database: ev.Database, Table: strings.Join(ev.Tables, ","), Kind: ev.Kind, Rows: ev.Rows, Statement: ev.Statement}
}
