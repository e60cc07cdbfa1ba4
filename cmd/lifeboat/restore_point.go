package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// isPointRestore says whether restore's arguments ask for a point in time.
func isPointRestore(args []string) bool {
	for _, a := range args {
		for _, f := range []string{"--at", "--until", "--until-gtid", "--until-position", "-at", "-until"} {
			if a == f || strings.HasPrefix(a, f+"=") {
				return true
			}
		}
	}
	return false
}

// cmdRestorePoint is restore --at T, restore NAME --until T | --until-gtid
// G | --until-position FILE:POS: the plan, the typed name, then the work.
func cmdRestorePoint(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "do not ask (needed without a terminal)")
	into := fs.String("into", "", "restore into this database instead of database.name")
	noSafety := fs.Bool("no-safety-backup", false, "skip the safety backup of the current database")
	at := fs.String("at", "", "the newest backup before T, then the log up to T")
	until := fs.String("until", "", "the log up to T (exclusive)")
	gtid := fs.String("until-gtid", "", "the log up to this transaction (exclusive)")
	position := fs.String("until-position", "", "the log up to FILE:POS (exclusive)")
	dry := fs.Bool("dry-run", false, "print the plan only; nothing changes")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	usage := usageErr("usage: lifeboat restore --at T [--into DB] | restore [NAME] --until T | --until-gtid G | --until-position FILE:POS [--into DB] [--yes]")
	// Without NAME the base is the newest backup before the stop point.
	name := ""
	switch {
	case len(pos) == 0:
	case *at == "" && len(pos) == 1:
		name = pos[0]
	default:
		return usage
	}
	if err := e.eng.Allowed(engine.ActionRestore); err != nil {
		return err
	}
	opts := engine.PointOptions{UntilGTID: *gtid, UntilPosition: *position, Into: *into, NoSafetyBackup: *noSafety}
	when := *at
	if when == "" {
		when = *until
	}
	if opts.At, err = parseWhen(e, "at", when); err != nil {
		return err
	}
	plan, err := e.eng.PlanPointRestore(ctx, name, opts)
	if err != nil {
		return err
	}
	if *dry && e.json {
		return pointDryRunJSON(e, plan)
	}
	if *dry || e.interactive || !e.json {
		showPointPlan(e, plan)
	}
	if *dry {
		return nil
	}
	if err := e.confirm(*yes, "restore "+plan.Base+" into "+plan.Database+" "+plan.Stop, plan.Database); err != nil {
		return err
	}
	signal.Ignore(syscall.SIGHUP) // a lost SSH session must not stop it halfway
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	res, err := e.eng.RestorePoint(ctx, name, opts, e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		r := pointRestoreJSON{restoreJSON: restoreJSON{Filename: res.Restore.Filename, Filepath: res.Restore.Path,
			RestoredAt: e.seedTime(time.Now()), Database: res.Restore.Database, SafetyBackup: res.Restore.SafetyBackup,
			Statements: res.Restore.Statements, Rows: res.Restore.Rows, LoadDataRows: res.Restore.LoadDataRows, DurationMS: res.Duration.Milliseconds()},
			Stop: plan.Stop, Transactions: plan.Transactions, ReplayMS: res.Replay.Milliseconds()}
		if plan.First != nil {
			r.FirstGTID, r.LastGTID = plan.First.GTID, plan.Last.GTID
		}
		return e.printJSON(pointRestoreReply{Success: true, Message: "Database restored to a point in time", Restore: r})
	}
	e.say("restored %s into %s and replayed %d transactions, %s, in %s", plan.Base, plan.Database, plan.Transactions, plan.Stop, res.Duration.Round(time.Millisecond))
	return nil
}

func showPointPlan(e *env, p engine.PointPlan) {
	w := e.stderr
	fmt.Fprintf(w, "Restore to a point in time into database %q\n", p.Database)
	fmt.Fprintf(w, "  base backup:   %s (taken %s, database %s)\n", p.Base, p.BaseAt.In(e.eng.Loc).Format("2006-01-02 15:04:05"), p.Source)
	fmt.Fprintf(w, "  then replay:   %d transactions from %d archive files, stopping %s\n", p.Transactions, len(p.Files), p.Stop)
	if p.First != nil {
		fmt.Fprintf(w, "  first:         %s %s %s %s\n", p.First.Time.In(e.eng.Loc).Format("2006-01-02 15:04:05"), p.First.GTID, p.First.Kind, strings.Join(p.First.Tables, ","))
		fmt.Fprintf(w, "  last:          %s %s %s %s\n", p.Last.Time.In(e.eng.Loc).Format("2006-01-02 15:04:05"), p.Last.GTID, p.Last.Kind, strings.Join(p.Last.Tables, ","))
	}
	if p.Restore.SafetyBackup {
		fmt.Fprintf(w, "  safety backup: %q is backed up first\n", p.Database)
	}
	for _, warn := range p.Restore.Warnings {
		fmt.Fprintf(w, "  warning:       %s\n", engine.Printable(warn))
	}
}
