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
	inPlace := fs.Bool("in-place", false, "drop and reload the database (after a safety backup) instead of loading a copy and swapping it in")
	undo := fs.Bool("undo", false, "put back the tables the last swap restore replaced")
	dry := fs.Bool("dry-run", false, "print the plan only; nothing changes")
	unterminated := fs.Bool("accept-unterminated", false, "restore a foreign dump without a completion line (--skip-comments, --compact): it cannot be proven complete")
	database := fs.String("database", "", "restore only this database of a backup of several (with --into: under another name)")
	accounts := fs.Bool("accounts", false, "also restore the backup's accounts (existing ones are left as they are)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *undo {
		if len(pos) != 0 || *dry || *inPlace {
			return usageErr("usage: lifeboat restore --undo [--json] [--yes] [--into DB]")
		}
		if err := e.eng.Allowed(engine.ActionRestore); err != nil {
			return err
		}
		return restoreUndo(ctx, e, *yes, *into)
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat restore --undo | lifeboat restore NAME [--dry-run] [--yes] [--into DB] [--database DB] [--accounts] [--in-place] [--no-safety-backup] [--strip-definers] [--accept-unterminated]")
	}
	name := pos[0]
	if err := e.eng.Allowed(engine.ActionRestore); err != nil {
		return err
	}
	opts := engine.RestoreOptions{Into: *into, NoSafetyBackup: *noSafety, StripDefiners: *strip, AcceptUnterminated: *unterminated,
		Database: *database, Accounts: *accounts, InPlace: *inPlace}
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
		if plan.Parts == nil {
			opts.Into = plan.Database
		}
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
				LoadDataRows: res.LoadDataRows,
				DurationMS:   res.Duration.Milliseconds(),
				Mode:         res.Mode,
				ModeReason:   res.ModeReason,
				SwapWindowMS: res.SwapWindow.Milliseconds(),
				Previous:     res.Previous,
				Note:         res.Note,
				Parts:        partsResultReply(res.Parts),
			},
		})
	}
	if res.Parts != nil {
		e.say("restored %s into %s: %s rows in %s", res.Filename, res.Database, humanize.Comma(res.Rows), res.Duration.Round(1e6))
		sayPartsResult(e, res)
		if res.Note != "" {
			e.say("warning: %s", res.Note)
		}
		return nil
	}
	e.say("restored %s into %s: %s rows in %s", res.Filename, res.Database, humanize.Comma(res.Rows), res.Duration.Round(1e6))
	if res.SafetyBackup != "" {
		e.say("safety backup of the previous state: %s", res.SafetyBackup)
	}
	if res.Previous != "" {
		e.say("swapped in %d ms; the previous tables are kept in %s (lifeboat restore --undo puts them back)", res.SwapWindow.Milliseconds(), res.Previous)
	}
	if res.Note != "" {
		e.say("warning: %s", res.Note)
	}
	return nil
}

func showRestorePlan(e *env, p engine.RestorePlan) {
	if p.Parts != nil {
		showPartsPlan(e.say, p)
		for _, w := range p.Warnings {
			e.say("warning: %s", w)
		}
		fmt.Fprintln(e.stderr)
		return
	}
	e.say("Restore %s into database %q.", p.Filename, p.Database)
	if p.Exists {
		e.say("The database exists: %d table(s) replaced by the backup's, %d table(s) and view(s) dropped (not in the backup), %d table(s) new, %d view(s) from the backup.",
			len(p.Replaced), len(p.Dropped), len(p.Created), len(p.Views))
	} else {
		e.say("The database does not exist yet: it will be created from the backup.")
	}
	e.say("Mode: %s.", modeText(p.Mode, p.ModeReason))
	if p.Mode == engine.ModeSwap {
		e.say("The current tables are kept as the safety copy; no safety dump is needed.")
	} else if p.SafetyBackup {
		e.say("A safety backup of the current database is taken first.")
	} else if p.Exists {
		e.say("NO safety backup will be taken (--no-safety-backup).")
	}
	for _, w := range p.Warnings {
		e.say("warning: %s", w)
	}
	fmt.Fprintln(e.stderr)
}
