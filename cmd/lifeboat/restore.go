package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
)

func cmdRestore(ctx context.Context, e *env, args []string) error {
	if isPointRestore(args) { // --at, --until...: restore_point.go
		return cmdRestorePoint(ctx, e, args)
	}
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "do not ask (needed without a terminal)")
	into := fs.String("into", "", "restore into this database instead of database.name")
	noSafety := fs.Bool("no-safety-backup", false, "skip the safety backup of the current database")
	strip := fs.Bool("strip-definers", false, "restore views, routines, triggers and events with the current user as definer")
	dry := fs.Bool("dry-run", false, "print the plan only; nothing changes")
	unterminated := fs.Bool("accept-unterminated", false, "restore a foreign dump without a completion line (--skip-comments, --compact): it cannot be proven complete")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat restore NAME [--dry-run] [--yes] [--into DB] [--no-safety-backup] [--strip-definers] [--accept-unterminated]")
	}
	name := pos[0]
	if err := e.eng.Allowed(engine.ActionRestore); err != nil {
		return err
	}
	opts := engine.RestoreOptions{Into: *into, NoSafetyBackup: *noSafety, StripDefiners: *strip, AcceptUnterminated: *unterminated}
	if *dry {
		return restoreDryRun(ctx, e, name, opts)
	}
	if !*yes {
		// With --yes the plan is not shown: Restore's own pre-pass refuses
		// all the plan would (and the file is read once less).
		plan, err := e.eng.PlanRestore(ctx, name, opts)
		if err != nil {
			return err
		}
		if e.interactive {
			showRestorePlan(e, plan)
		}
		if err := e.confirm(false, "restore "+name+" into "+plan.Database, plan.Database); err != nil {
			return err
		}
		// The user saw "this is a backup of database X" (and that the file
		// cannot be proven complete) and typed the target's name.
		opts.Into = plan.Database
		opts.AcceptUnterminated = opts.AcceptUnterminated || plan.Unterminated
	}
	// Once it starts, a lost SSH session must not stop a restore halfway:
	// it runs to the end (or rolls back) and the audit log says which.
	signal.Ignore(syscall.SIGHUP)
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	res, err := e.eng.Restore(ctx, name, opts, e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(restoreReply{
			Success: true,
			Message: "Database restored successfully from backup",
			Restore: restoreJSON{
				Filename:     res.Filename,
				Filepath:     res.Path,
				RestoredAt:   e.seedTime(res.RestoredAt),
				Database:     res.Database,
				SafetyBackup: res.SafetyBackup,
				Statements:   res.Statements,
				Rows:         res.Rows,
				DurationMS:   res.Duration.Milliseconds(),
			},
		})
	}
	e.say("restored %s into %s: %s rows in %s", res.Filename, res.Database, humanize.Comma(res.Rows), res.Duration.Round(1e6))
	if res.SafetyBackup != "" {
		e.say("safety backup of the previous state: %s", res.SafetyBackup)
	}
	return nil
}

func showRestorePlan(e *env, p engine.RestorePlan) {
	e.say("Restore %s into database %q.", p.Filename, p.Database)
	if p.Exists {
		e.say("The database exists: its %d table(s) will be replaced by the backup's.", len(p.Tables))
	} else {
		e.say("The database does not exist yet: it will be created from the backup.")
	}
	if p.SafetyBackup {
		e.say("A safety backup of the current database is taken first.")
	} else if p.Exists {
		e.say("NO safety backup will be taken (--no-safety-backup).")
	}
	for _, w := range p.Warnings {
		e.say("warning: %s", w)
	}
	fmt.Fprintln(e.stderr)
}
