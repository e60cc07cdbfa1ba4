package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func cmdBinlog(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageErr("usage: lifeboat binlog sync [--follow] | binlog events [--since T] [--until T] [--database DB] [--table T]")
	}
	switch args[0] {
	case "sync":
		return cmdBinlogSync(ctx, e, args[1:])
	case "events":
		return cmdBinlogEvents(ctx, e, args[1:])
	}
	return usageErr("binlog %q: use binlog sync or binlog events", args[0])
}

func cmdBinlogSync(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("binlog sync", flag.ContinueOnError)
	follow := fs.Bool("follow", false, "keep streaming (for a systemd service)")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		return usageErr("usage: lifeboat binlog sync [--json] [--follow]")
	}
	res, err := e.eng.BinlogSync(ctx, engine.BinlogSyncOptions{Follow: *follow})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%d finished files archived; %s copied as far as the server has written it", len(res.Indexed), res.Open)
	if len(res.Purged) > 0 {
		msg += "; the server purged " + strings.Join(res.Purged, ", ") + " before it was archived: a gap in the recoverable window"
	}
	if e.json {
		return e.printJSON(binlogSyncReply{Success: true, Message: msg, Dir: res.Dir, Indexed: orEmpty(res.Indexed), Open: res.Open, Purged: orEmpty(res.Purged),
			Offsite: binlogOffsiteOf(res.Offsite)})
	}
	e.say("binlog sync into %s: %s", res.Dir, msg)
	e.sayBinlogOffsite(res.Offsite)
	return nil
}

// parseWhen reads T: "YYYY-MM-DD HH:MM:SS" in backup.timezone, or RFC 3339.
func parseWhen(e *env, flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, e.eng.Loc)
	if err != nil {
		return t, usageErr("--%s %q: use \"YYYY-MM-DD HH:MM:SS\" (in backup.timezone) or RFC 3339 with an offset", flagName, s)
	}
	return t, nil
}

func cmdBinlogEvents(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("binlog events", flag.ContinueOnError)
	since := fs.String("since", "", "from this time on")
	until := fs.String("until", "", "before this time")
	db := fs.String("database", "", "only this database")
	table := fs.String("table", "", "only this table")
	if pos, err := parseFlags(fs, args); err != nil || len(pos) > 0 {
		return usageErr("usage: lifeboat binlog events [--json] [--since T] [--until T] [--database DB] [--table T]")
	}
	var opts engine.BinlogEventsOptions
	var err error
	if opts.Since, err = parseWhen(e, "since", *since); err != nil {
		return err
	}
	if opts.Until, err = parseWhen(e, "until", *until); err != nil {
		return err
	}
	opts.Database, opts.Table = *db, *table
	evs, err := e.eng.BinlogEvents(ctx, opts)
	if err != nil {
		return err
	}
	if e.json {
		out := binlogEventsReply{Events: []binlogEventJSON{}, Total: len(evs)}
		for _, ev := range evs {
			out.Events = append(out.Events, binlogEventJSON{Time: e.seedTime(ev.Time), GTID: ev.GTID, File: ev.File, Position: ev.Position,
				Database: ev.Database, Table: strings.Join(ev.Tables, ","), Kind: ev.Kind, Rows: ev.Rows, Statement: ev.Statement})
		}
		return e.printJSON(out)
	}
	for _, ev := range evs {
		what := strings.Join(ev.Tables, ",")
		if ev.Kind == "DDL" {
			what = oneLine(ev.Statement, 60)
		}
		fmt.Fprintf(e.stdout, "%s  %-12s %s:%-9d %-6s %6d  %s\n", ev.Time.In(e.eng.Loc).Format("2006-01-02 15:04:05"),
			ev.GTID, ev.File, ev.Position, ev.Kind, ev.Rows, engine.Printable(what))
	}
	e.say("%d transactions", len(evs))
	return nil
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
