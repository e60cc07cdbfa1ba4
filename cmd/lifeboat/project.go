package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func cmdProject(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageErr("usage: lifeboat project list|backup ID|backups ID|status ID|restore ID NAME|verify ID NAME|delete ID NAME|pull ID NAME")
	}
	if e.eng.Cfg.Projects.Table == "" {
		return usageErr("per-project backups are off: set [projects] table = \"...\" in %s", e.eng.Cfg.Path)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		return projectList(ctx, e, args)
	case "backup":
		return projectBackup(ctx, e, args)
	case "backups":
		return projectBackups(ctx, e, args)
	case "status":
		return projectStatus(ctx, e, args)
	case "restore":
		return projectRestore(ctx, e, args)
	case "verify":
		return projectVerify(ctx, e, args)
	case "delete":
		return projectDelete(ctx, e, args)
	case "pull":
		return projectPull(ctx, e, args)
	}
	return usageErr("unknown project command %q: use list, backup, backups, status, restore, verify, delete or pull", sub)
}

// projectArgs parses fs and requires exactly n positional arguments.
func projectArgs(fs *flag.FlagSet, args []string, n int, use string) ([]string, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		return nil, usageErr("usage: lifeboat project %s", use)
	}
	return pos, nil
}

func projectList(ctx context.Context, e *env, args []string) error {
	if _, err := projectArgs(flag.NewFlagSet("project list", flag.ContinueOnError), args, 0, "list"); err != nil {
		return err
	}
	list, err := e.eng.Projects(ctx)
	if err != nil {
		return err
	}
	if e.json {
		out := make([]projectJSON, 0, len(list))
		for _, p := range list {
			out = append(out, projectJSON{ID: p.ID, Name: p.Name, Backups: p.Backups, LastBackup: e.seedTime(p.LastBackup),
				InDatabase: !p.Missing, Locations: e.projectLocationsOf(p.Locations)})
		}
		return e.printJSON(projectListReply{Projects: out, Total: len(list)})
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	remotes := len(e.eng.Remotes()) > 0 // WHERE only with [[remote]] (issue 20)
	if remotes {
		fmt.Fprintln(tw, "ID\tNAME\tBACKUPS\tLAST BACKUP\tWHERE\t")
	} else {
		fmt.Fprintln(tw, "ID\tNAME\tBACKUPS\tLAST BACKUP\t")
	}
	for _, p := range list {
		if remotes {
			safef(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", p.ID, p.Name, p.Backups, e.seedTime(p.LastBackup), locationCounts(p.Locations), missingNote(p))
			continue
		}
		safef(tw, "%s\t%s\t%d\t%s\t%s\n", p.ID, p.Name, p.Backups, e.seedTime(p.LastBackup), missingNote(p))
	}
	return tw.Flush()
}

// missingNote marks a project listed only from its backups.
func missingNote(p engine.ProjectInfo) string {
	if p.Missing {
		return "not in the database (from its backups)"
	}
	return ""
}

func projectBackup(ctx context.Context, e *env, args []string) error {
	pos, err := projectArgs(flag.NewFlagSet("project backup", flag.ContinueOnError), args, 1, "backup ID")
	if err != nil {
		return err
	}
	if err := e.eng.Allowed(engine.ActionProjectBackup); err != nil {
		return err
	}
	res, err := e.eng.ProjectBackup(ctx, pos[0], e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(projectBackupReply{
			Success: true,
			Message: "Project backup created successfully",
			Backup: projectBackupResultJSON{
				fileJSON:    e.fileOf(res.Filename, res.Path, res.Size, res.CreatedAt),
				ProjectID:   res.ProjectID,
				ProjectName: res.ProjectName,
				DataSummary: res.Tables,
				DurationMS:  res.Duration.Milliseconds(),
				Offsite:     offsiteOf(res.Offsite),
			},
		})
	}
	for _, c := range res.Offsite {
		if !c.OK {
			e.say("WARNING: %s%s", engine.OffsiteFailedPrefix, c.Error)
		}
	}
	for _, rp := range res.RemotePruned {
		switch {
		case rp.Error != "":
			e.say("WARNING: remote %s: older backups of project %s not pruned there: %s", rp.Remote, res.ProjectID, rp.Error)
		case len(rp.ProjectDeleted) > 0:
			e.say("remote %s: pruned %d older backup(s) of project %s, keeping its newest %d", rp.Remote, len(rp.ProjectDeleted), res.ProjectID, rp.ProjectKeep)
		}
	}
	fmt.Fprintln(e.stdout, res.Path)
	e.say("project %s (%s) backed up: %s, %s", res.ProjectID, res.ProjectName, humanBytes(res.Size), summary(res.Tables))
	return nil
}

func projectBackups(ctx context.Context, e *env, args []string) error {
	pos, err := projectArgs(flag.NewFlagSet("project backups", flag.ContinueOnError), args, 1, "backups ID")
	if err != nil {
		return err
	}
	list, err := e.eng.ProjectBackups(ctx, pos[0])
	if err != nil {
		return err
	}
	if e.json {
		out := make([]projectBackupJSON, 0, len(list))
		for _, b := range list {
			out = append(out, projectBackupOf(e, b))
		}
		dir, _ := e.eng.ProjectDir(pos[0])
		return e.printJSON(projectBackupsReply{Backups: out, Total: len(list), ProjectID: pos[0],
			BackupDirectory: dir})
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	remotes := len(e.eng.Remotes()) > 0 // WHERE only with [[remote]] (issue 20)
	head := "NAME\tCREATED\tSIZE\tSTATE\tBY"
	if remotes {
		head = "NAME\tCREATED\tSIZE\tSTATE\tWHERE\tBY"
	}
	fmt.Fprintln(tw, head)
	for _, b := range list {
		by := b.CreatedBy
		if b.Problem != "" {
			by = b.Problem
		}
		state := b.State
		if l := engine.EncryptionLabel(engine.BackupInfo{Encrypted: b.Encrypted, Opens: b.Opens}); l != "" {
			state += " (" + l + ")" // as list marks encrypted full backups
		}
		if remotes {
			safef(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Filename, e.seedTime(b.CreatedAt), humanBytes(b.Size), state, b.Where(), by)
			continue
		}
		safef(tw, "%s\t%s\t%s\t%s\t%s\n", b.Filename, e.seedTime(b.CreatedAt), humanBytes(b.Size), state, by)
	}
	return tw.Flush()
}

func projectBackupOf(e *env, b engine.ProjectBackupInfo) projectBackupJSON {
	return projectBackupJSON{
		fileJSON:   e.fileOf(b.Filename, b.Path, b.Size, b.CreatedAt),
		ModifiedAt: e.seedTime(b.ModifiedAt),
		Metadata: projectMetadataJSON{
			ProjectID:     b.ProjectID,
			ProjectName:   b.ProjectName,
			CreatedAt:     e.seedTime(b.CreatedAt),
			CreatedBy:     b.CreatedBy,
			CreatedByName: b.CreatedByName,
			BackupVersion: b.BackupVersion,
		},
		State:     b.State,
		Error:     b.Problem,
		Locations: locationsOf(b.Locations),
		Where:     whereOf(b),
		Encrypted: b.Encrypted,
		Opens:     b.Opens,
	}
}

func projectStatus(ctx context.Context, e *env, args []string) error {
	pos, err := projectArgs(flag.NewFlagSet("project status", flag.ContinueOnError), args, 1, "status ID")
	if err != nil {
		return err
	}
	st, err := e.eng.ProjectStatus(ctx, pos[0])
	if err != nil {
		return err
	}
	if !st.Exists && st.Backups == 0 {
		where := st.Dir
		if st.Locations != nil {
			where += " nor on any remote"
		}
		return fmt.Errorf("project %s: not in the database and no backups in %s: %w (see `lifeboat project list`)",
			st.ID, where, os.ErrNotExist)
	}
	if e.json {
		tables := map[string]int64{}
		for _, t := range st.Tables {
			tables[t.Table] = t.Rows
		}
		var newest *projectBackupJSON
		if st.LastBackup != nil {
			b := projectBackupOf(e, *st.LastBackup)
			newest = &b
		}
		return e.printJSON(projectStatusReply{Success: true, ProjectID: st.ID, ProjectName: st.Name,
			Exists: st.Exists, Tables: tables, Backups: st.Backups, NewestBackup: newest,
			BackupDirectory: st.Dir, Locations: e.projectLocationsOf(st.Locations)})
	}
	if st.Locations != nil {
		safef(e.stdout, "project  %s  %s\nbackups  %d (%s); directory %s\n", st.ID, st.Name, st.Backups, locationCounts(st.Locations), st.Dir)
	} else {
		safef(e.stdout, "project  %s  %s\nbackups  %d in %s\n", st.ID, st.Name, st.Backups, st.Dir)
	}
	if st.LastBackup != nil {
		safef(e.stdout, "newest   %s\n", newestWhere(st.ID, *st.LastBackup))
	}
	for _, line := range strings.Split(strings.TrimSuffix(st.Tree, "\n"), "\n") {
		safef(e.stdout, "%s\n", line)
	}
	return nil
}

func projectRestore(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("project restore", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "do not ask (needed without a terminal)")
	dry := fs.Bool("dry-run", false, "show what would change, change nothing")
	pos, err := projectArgs(fs, args, 2, "restore ID NAME [--yes] [--dry-run]")
	if err != nil {
		return err
	}
	id, name := pos[0], pos[1]
	if err := e.eng.Allowed(engine.ActionProjectRestore); err != nil {
		return err
	}
	plan, err := e.eng.PlanProjectRestore(ctx, id, name)
	if err != nil {
		return err
	}
	if *dry {
		return printPlan(e, plan)
	}
	if !*yes && e.interactive {
		printPlan(e, plan)
	}
	if err := e.confirm(*yes, "restore project "+id, plan.ProjectName); err != nil {
		return err
	}
	res, err := e.eng.ProjectRestore(ctx, id, name, engine.ProjectRestoreOptions{}, e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(projectRestoreReply{
			Success: true,
			Message: "Project restored successfully from backup",
			RestoreSummary: projectRestoreSummaryJSON{
				BackupFilename:  res.Plan.Filename,
				BackupCreatedAt: e.seedTime(res.Plan.CreatedAt),
				BackupCreatedBy: res.Plan.CreatedBy,
				RestoredData:    res.Restored,
				SafetyBackup:    res.SafetyBackup,
				DurationMS:      res.Duration.Milliseconds(),
			},
		})
	}
	e.say("project %s restored from %s: %s", id, name, summary(res.Restored))
	if res.SafetyBackup == "" {
		e.say("no safety backup: project %s had no rows in the database, so there was nothing to back up", id)
		return nil
	}
	e.say("safety backup of the previous state: %s", res.SafetyBackup)
	return nil
}

func printPlan(e *env, p engine.ProjectRestorePlan) error {
	if e.json {
		plan := map[string]tablePlanJSON{}
		for _, t := range p.Tables {
			plan[t.Table] = tablePlanJSON{Delete: t.Delete, Insert: t.Insert, Changed: t.Changed, Update: t.Updates(), Unchanged: t.Unchanged}
		}
		return e.printJSON(projectPlanReply{Success: true, Message: "Dry run: nothing was changed",
			Plan: plan, Triggers: orEmpty(p.Triggers), Drift: orEmpty(p.Drift), Warnings: orEmpty(p.Warnings)})
	}
	w := e.stderr
	safef(w, "Restore project %s (%s) from %s, taken %s by %s:\n", p.ProjectID, p.ProjectName, p.Filename, e.seedTime(p.CreatedAt), p.CreatedBy)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	// A changed row is one UPDATE here, not a DELETE and an INSERT.
	fmt.Fprintln(tw, "TABLE\tDELETE\tINSERT\tUPDATE\tUNCHANGED\t")
	for _, t := range p.Tables {
		safef(tw, "%s\t%d\t%d\t%d\t%d\t\n", t.Table, t.Deletes(), t.Inserts(), t.Updates(), t.Unchanged)
	}
	tw.Flush()
	for _, s := range p.Triggers {
		safef(w, "trigger: %s\n", s)
	}
	for _, s := range p.Drift {
		safef(w, "schema: %s\n", s)
	}
	for _, s := range p.Warnings {
		safef(w, "warning: %s\n", s)
	}
	return nil
}

func projectVerify(ctx context.Context, e *env, args []string) error {
	pos, err := projectArgs(flag.NewFlagSet("project verify", flag.ContinueOnError), args, 2, "verify ID NAME")
	if err != nil {
		return err
	}
	res, err := e.eng.ProjectVerify(ctx, pos[0], pos[1])
	if err != nil {
		return err
	}
	return e.printChecks("project verify", res.Filename, res.OK, res.Checks, 10)
}

func projectDelete(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("project delete", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "do not ask")
	pos, err := projectArgs(fs, args, 2, "delete ID NAME [--yes]")
	if err != nil {
		return err
	}
	if err := e.eng.Allowed(engine.ActionProjectDelete); err != nil {
		return err
	}
	if err := e.confirm(*yes, "delete "+pos[1], "yes"); err != nil {
		return err
	}
	if err := e.eng.ProjectDelete(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	if e.json {
		return e.printJSON(deleteReply{Success: true, Message: "Project backup deleted", Filename: pos[1]})
	}
	e.say("deleted %s", pos[1])
	return nil
}

// summary prints "areas 3, strings 120" in a stable order.
func summary(m map[string]int64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %d", k, m[k])
	}
	return s
}
