package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
)

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageErr("backup takes no arguments")
	}
	if err := e.eng.Allowed(engine.ActionCreate); err != nil {
		return err
	}
	res, err := e.eng.Backup(ctx, engine.BackupOptions{Reason: "manual"}, e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(backupReply{
			Success: true,
			Message: "Database backup created successfully",
			Backup: backupJSON{
				fileJSON:         e.fileOf(res.Filename, res.Path, res.Size, res.CreatedAt),
				Timestamp:        res.CreatedAt.In(e.eng.Loc).Format(engine.TimeLayout),
				SHA256:           res.SHA256,
				Tables:           res.Tables,
				Rows:             res.Rows,
				DurationMS:       res.Duration.Milliseconds(),
				LockWindowMS:     res.LockWindow.Milliseconds(),
				NonTransactional: res.NonTransactional,
				Pruned:           res.Pruned,
				Warnings:         orEmpty(res.Warnings),
				Offsite:          offsiteOf(res.Offsite),
			},
		})
	}
	for _, w := range res.Warnings {
		e.say("WARNING: %s", w)
	}
	fmt.Fprintln(e.stdout, res.Path)
	e.say("backup %s: %s, %d tables, %s rows in %s", res.Filename, humanBytes(res.Size), res.Tables,
		humanize.Comma(res.Rows), res.Duration.Round(1e6))
	if len(res.NonTransactional) > 0 {
		e.say("note: read without a snapshot (not transactional): %s", strings.Join(res.NonTransactional, ", "))
	}
	for _, p := range res.Pruned {
		e.say("pruned %s", p)
	}
	for _, c := range res.Offsite {
		if c.OK {
			e.say("copied off-site to remote %s", c.Remote)
		}
	}
	return nil
}

func cmdList(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	limit := fs.Int("limit", 0, "show at most N backups")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageErr("list takes no arguments")
	}
	if *limit < 0 {
		return usageErr("--limit must be 0 or more")
	}
	list, err := e.eng.List(ctx, 0)
	if err != nil {
		return err
	}
	total := len(list) // --json's total is the full count (DESIGN.md); shown is after --limit
	if *limit > 0 && len(list) > *limit {
		list = list[:*limit]
	}
	if e.json {
		out := make([]listEntryJSON, 0, len(list))
		for _, b := range list {
			out = append(out, listEntryJSON{
				fileJSON:    e.fileOf(b.Filename, b.Path, b.Size, b.CreatedAt),
				ModifiedAt:  e.seedTime(b.ModifiedAt),
				CreatedBy:   b.CreatedBy,
				State:       b.State,
				Rows:        b.Rows,
				Databases:   orEmpty(b.Databases),
				Safety:      b.Safety,
				SHA256:      sha256Of(b),
				Compression: compressionOf(b),
				Locations:   locationsOf(b.Locations),
				Encrypted:   b.Encrypted,
				Opens:       b.Opens,
			})
		}
		return e.printJSON(listReply{Backups: out, Total: total, Shown: len(list), BackupDirectory: e.eng.Cfg.Backup.Dir,
			Warnings: orEmpty(e.eng.Interrupted())})
	}
	for _, w := range e.eng.Interrupted() {
		e.say("WARNING: %s", w)
	}
	if len(list) == 0 {
		e.say("no backups in %s yet: take one with `lifeboat backup`", e.eng.Cfg.Backup.Dir)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	multi := engine.ManyDatabases(list)
	head := "NAME\tCREATED\tSIZE\tROWS\tSTATE\tBY"
	if multi {
		head = "NAME\tDATABASE\tCREATED\tSIZE\tROWS\tSTATE\tBY"
	}
	where := len(e.eng.Remotes()) > 0 // the WHERE column, with [[remote]]
	if where {
		head += "\tWHERE"
	}
	fmt.Fprintln(tw, head)
	for _, b := range list {
		rows := ""
		if b.Rows > 0 {
			rows = humanize.Comma(b.Rows)
		}
		state := string(b.State)
		if b.Safety {
			state += " (safety)"
		}
		if l := engine.EncryptionLabel(b); l != "" {
			state += " (" + l + ")"
		}
		created := b.CreatedAt.In(e.eng.Loc).Format("2006-01-02 15:04")
		end := "\n"
		if where {
			end = "\t" + b.Where() + "\n"
		}
		if multi {
			safef(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s"+end, b.Filename, strings.Join(b.Databases, ","), created,
				humanBytes(b.Size), rows, state, b.CreatedBy)
			continue
		}
		safef(tw, "%s\t%s\t%s\t%s\t%s\t%s"+end, b.Filename, created, humanBytes(b.Size), rows, state, b.CreatedBy)
	}
	return tw.Flush()
}

func cmdStatus(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := e.eng.Status(ctx)
	if err != nil {
		return err
	}
	// What the MySQL account may do, checked now rather than mid-restore.
	var privs *engine.PrivilegeReport
	privErr := ""
	if st.ServerOK {
		if rep, err := e.eng.Privileges(ctx); err != nil {
			privErr = err.Error()
		} else {
			privs = &rep
		}
	}
	if e.json {
		brief := func(b *engine.BackupInfo) *briefJSON {
			if b == nil {
				return nil // null in the JSON
			}
			return &briefJSON{Filename: b.Filename, CreatedAt: e.seedTime(b.CreatedAt)}
		}
		return e.printJSON(statusReply{
			SystemStatus: systemStatusJSON{
				BackupDirectory:         st.Dir,
				BackupDirectoryExists:   st.DirExists,
				BackupDirectoryWritable: st.DirWritable,
				FreeBytes:               st.FreeBytes,
				ServerReachable:         st.ServerOK,
				ServerVersion:           st.ServerVersion,
				ServerError:             st.ServerError,
				MaxBackupsKept:          st.Keep,
				SigningKey:              st.SigningKey,
				SigningKeyFile:          st.SigningKeyFile,
			},
			BackupStats: backupStatsJSON{
				TotalBackups:       st.Total,
				TotalSize:          st.TotalSize,
				TotalSizeFormatted: humanBytes(st.TotalSize),
				OldestBackup:       brief(st.Oldest),
				NewestBackup:       brief(st.Newest),
				LastCompleteBackup: brief(st.LastComplete),
				Stale:              st.Stale,
				LowSpace:           st.LowSpace,
				SafetyBackups:      st.SafetyBackups,
				Shrank:             st.Shrank,
			},
			InterruptedRestores: orEmpty(st.Interrupted),
			Warnings:            orEmpty(st.Warnings),
			PartialFiles:        partialsJSON(st.Partials),
			Cleaned:             orEmpty(st.Cleaned),
			Privileges:          privilegesOf(privs),
			PrivilegesError:     privErr,
			Remotes:             e.remotesOf(st.Remotes),
			Previous:            previousOf(st.Previous),
			Databases:           e.databasesOf(st.Databases),
			RecoverableWindow:   e.windowJSON(e.window(ctx)),
		})
	}
	tick := func(ok bool) string {
		if ok {
			return "✓"
		}
		return "✗"
	}
	safef(e.stdout, "directory  %s  %s exists  %s writable  %s free\n", st.Dir, tick(st.DirExists), tick(st.DirWritable), humanBytes(st.FreeBytes))
	if st.ServerOK {
		safef(e.stdout, "server     %s  %s\n", e.eng.ServerLabel(), st.ServerVersion)
	} else {
		safef(e.stdout, "server     %s  ✗ unreachable: %s\n", e.eng.ServerLabel(), st.ServerError)
	}
	safef(e.stdout, "backups    %d of %d kept, %s; %d safety backups\n", st.Total, st.Keep, humanBytes(st.TotalSize), st.SafetyBackups)
	if st.SigningKey != "" { // what another host puts in backup.trusted_keys
		safef(e.stdout, "signing    %s  (%s)\n", st.SigningKey, st.SigningKeyFile)
	} else {
		safef(e.stdout, "signing    ✗ no usable key at %s (see the warning)\n", st.SigningKeyFile)
	}
	e.printRemotes(st.Remotes)
	for _, k := range st.Previous {
		safef(e.stdout, "previous   %s  %s on the server (kept by a swap restore of %s; restore --undo --into %s puts the newest back)\n", k.Name, humanBytes(k.Bytes), k.Database, k.Database)
	}
	e.printWindow(e.window(ctx))
	if st.LastComplete != nil {
		safef(e.stdout, "last       %s (%s)\n", st.LastComplete.Filename, humanize.Time(st.LastComplete.CreatedAt))
	}
	e.printDatabases(st.Databases)
	if privs != nil {
		account := privs.Account
		if privs.Role != "" {
			account += " (role " + privs.Role + ": grants through the role are not listed)"
		}
		safef(e.stdout, "account    %s\n", account)
		for _, a := range privs.Actions {
			safef(e.stdout, "  %s %-16s %s\n", tick(a.OK()), a.Action, a.Summary())
		}
	} else if privErr != "" {
		safef(e.stdout, "account    ✗ privileges unknown: %s\n", privErr)
	}
	for _, p := range st.Partials {
		state := "removed: left by a killed lifeboat"
		if !p.Removed {
			state = "in use: a running lifeboat holds the directory"
		}
		safef(e.stdout, "partial    %s (%s) %s\n", p.Name, humanBytes(p.Size), state)
	}
	for _, w := range st.Warnings {
		safef(e.stdout, "warning    %s\n", w)
	}
	return nil
}

// partialsJSON is status --json's "partial_files": every *.partial file
// found in backup.dir and whether it was removed as an orphan.
func partialsJSON(ps []engine.PartialFile) []partialFileJSON {
	out := make([]partialFileJSON, 0, len(ps))
	for _, p := range ps {
		out = append(out, partialFileJSON{Name: p.Name, Size: p.Size, Removed: p.Removed})
	}
	return out
}

// privilegesOf is status --json's "privileges": the account and, per
// action, what it needs and lacks (null when the server did not answer).
func privilegesOf(p *engine.PrivilegeReport) *privilegesJSON {
	if p == nil {
		return nil
	}
	actions := make([]actionPrivilegesJSON, 0, len(p.Actions))
	for _, a := range p.Actions {
		actions = append(actions, actionPrivilegesJSON{
			Action:  a.Action,
			OK:      a.OK(),
			Needs:   orEmpty(a.Needs),
			Missing: orEmpty(a.Missing),
			Wants:   orEmpty(a.Wants),
			Lacks:   orEmpty(a.Lacks),
			Note:    a.Note,
		})
	}
	return &privilegesJSON{Account: p.Account, Database: p.Database, Role: p.Role, Actions: actions}
}

func cmdVerify(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	withRestore := fs.Bool("restore", false, "also restore into a throwaway server and compare")
	newest := fs.Bool("newest", false, "verify the newest complete backup (the weekly scheduled verify)")
	file := fs.String("file", "", "check a copy outside backup.dir")
	manifest := fs.String("manifest", "", "with --file: its manifest (default FILE.json)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *file != "" || *manifest != "" {
		return verifyFile(ctx, e, pos, *file, *manifest, *withRestore)
	}
	if pos, err = newestArg(ctx, e, *newest, pos); err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat verify NAME|--newest [--restore]")
	}
	if err := e.eng.Allowed(engine.ActionVerify); err != nil {
		return err
	}
	res, err := e.eng.Verify(ctx, pos[0], engine.VerifyOptions{Restore: *withRestore}, e.progressLine())
	if err != nil {
		return err
	}
	return e.printChecks("verify", res.Filename, res.OK, res.Checks, 20)
}

// printChecks prints a verify report (full or project backup): the
// verifyReply with --json, else one line a check; a failed check makes the
// command fail without a second message.
func (e *env) printChecks(what, name string, ok bool, checks []engine.Check, width int) error {
	if e.json {
		if err := e.printJSON(verifyReply{Success: ok, Filename: name, Checks: orEmpty(checks)}); err != nil {
			return err
		}
	} else {
		for _, c := range checks {
			mark := "✓"
			switch {
			case c.Info:
				mark = "i" // information: compared nothing that could fail
			case !c.OK:
				mark = "✗"
			}
			safef(e.stdout, "%s %-*s %s\n", mark, width, c.Name, c.Detail)
		}
	}
	if !ok {
		return silentFailure{fmt.Errorf("%s %s: the backup is damaged; do not restore it", what, name)}
	}
	return nil
}

func cmdPrune(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("prune", flag.ContinueOnError)
	keep := fs.Int("keep", 0, "keep the newest N complete backups (default backup.keep)")
	dry := fs.Bool("dry-run", false, "list what would go, delete nothing")
	yes := fs.Bool("yes", false, "do not ask")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if *keep < 0 {
		return usageErr("--keep must be 1 or more")
	}
	if err := e.eng.Allowed(engine.ActionPrune); err != nil {
		return err
	}
	opts := engine.PruneOptions{Keep: *keep, DryRun: true}
	plan, err := e.eng.Prune(ctx, opts)
	if err != nil {
		return err
	}
	res := plan
	if !*dry && (len(plan.Deleted) > 0 || remoteDeletes(plan) || len(plan.Previous.Dropped) > 0) {
		if e.interactive && !*yes && !e.json {
			e.say("prune will delete %s, keeping %s:", countFiles(len(plan.Deleted)), policyWords(plan))
			for _, n := range plan.Deleted {
				e.say("  %s", n)
			}
			e.sayRemotePlan(plan)
			for _, n := range plan.Previous.Dropped {
				e.say("  the kept previous state %s (beyond backup.keep_previous %d)", n, plan.Previous.Keep)
			}
		}
		// A destructive command: on a terminal it asks, without one it
		// needs --yes (cron passes it), as DESIGN.md says for all of them.
		if !*yes {
			if err := e.confirm(false, "prune", "yes"); err != nil {
				return err
			}
		}
		// Delete only what was shown: a backup finishing meanwhile must not
		// widen the list the user agreed to.
		opts.DryRun, opts.Only, opts.RemoteOnly = false, append(orEmpty(plan.Deleted), plan.Previous.Dropped...), plan.RemoteDeleted()
		opts.RemoteProjectOnly = plan.RemoteProjectDeleted()
		if res, err = e.eng.Prune(ctx, opts); err != nil {
			return err
		}
	}
	msg := "Backup cleanup completed"
	if *dry {
		msg = "Dry run: nothing was deleted"
	}
	if e.json {
		return e.printJSON(pruneReply{
			Success: true,
			Message: msg,
			CleanupStats: cleanupStatsJSON{
				FilesBefore:         res.FilesBefore,
				FilesAfter:          res.FilesAfter,
				FilesDeleted:        len(res.Deleted),
				SpaceFreed:          res.SpaceFreed,
				SpaceFreedFormatted: humanBytes(res.SpaceFreed),
				MaxBackupsKept:      res.Keep,
				Deleted:             orEmpty(res.Deleted),
				DryRun:              res.DryRun,
			},
			Previous: previousPruneJSON{Keep: res.Previous.Keep, Dropped: orEmpty(res.Previous.Dropped),
				Freed: res.Previous.Freed, Error: res.Previous.Error},
			Files:         pruneFiles(res),
			Remotes:       remotePrunesOf(res.Remotes),
			BinlogDeleted: res.BinlogDeleted,
		})
	}
	printPrune(e, msg, *dry, res)
	if n := len(res.BinlogDeleted); n > 0 {
		e.say("binary-log archive: %d files no kept backup needs and older than binlog.keep_days removed (%s), %s first", n, humanBytes(res.BinlogFreed), res.BinlogDeleted[0])
	}
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	for _, n := range res.Previous.Dropped {
		e.say("%s the kept previous state %s (beyond backup.keep_previous %d)", verb, n, res.Previous.Keep)
	}
	if res.Previous.Error != "" {
		e.say("warning: kept previous states were not pruned: %s", res.Previous.Error)
	}
	e.sayRemotePrunes(res.Remotes, verb)
	return nil
}

func cmdDelete(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("delete", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "do not ask")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat delete NAME [--yes]")
	}
	name := pos[0]
	if err := e.eng.Allowed(engine.ActionDelete); err != nil {
		return err
	}
	if !*yes && e.interactive {
		e.say("delete %s and its manifest from %s?", name, e.eng.Cfg.Backup.Dir)
	}
	if err := e.confirm(*yes, "delete "+name, "yes"); err != nil {
		return err
	}
	if err := e.eng.Delete(ctx, name); err != nil {
		return err
	}
	if e.json {
		return e.printJSON(deleteReply{Success: true, Message: "Backup deleted", Filename: name})
	}
	e.say("deleted %s", name)
	return nil
}

func cmdCat(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("cat", flag.ContinueOnError)
	manifest := fs.Bool("manifest", false, "write the manifest instead of the backup")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat cat NAME [--manifest] > file")
	}
	if *manifest { // plain JSON: fine on a terminal too
		return e.eng.CatManifest(ctx, pos[0], e.stdout)
	}
	if e.interactive && isTerminal(e.stdout) {
		return usageErr("cat writes the backup's bytes to stdout: redirect it, e.g. lifeboat cat %s > %s", pos[0], pos[0])
	}
	// A reader that goes away (`| head`) must end the download with an
	// error the audit log records as partial, not kill the process first.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	return e.eng.Cat(ctx, pos[0], e.stdout)
}

// silentFailure is a failure whose details were already printed (verify's
// checks); with --json only the exit code is left to give.
type silentFailure struct{ error }

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
