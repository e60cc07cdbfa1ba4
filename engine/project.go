package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/project"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// ProjectStatus is one project's state: its rows per table (from the
// graph) and its backups.
type ProjectStatus struct {
	ID         string
	Name       string
	Exists     bool
	Tables     []ProjectTableRows // in graph order, root first
	Tree       string             // the graph drawn with row counts
	Dir        string
	Backups    int                // in every location, as `project backups ID` lists them
	LastBackup *ProjectBackupInfo // nil when none; its Path is "" when only a remote holds it (Locations say which)
	Locations  []ProjectLocation  // "local", then each [[remote]]; nil without remotes
}

// ProjectTableRows is a table's share of a project.
type ProjectTableRows struct {
	Table string
	Rows  int64
}

// ErrProjectsOff is returned when the config has no [projects] table.
var ErrProjectsOff = errors.New("per-project backups are off: set [projects] table (and id_column, name_column) in the config")

func (e *Engine) projectConfig() (project.Config, error) {
	p := e.Cfg.Projects
	if p.Table == "" {
		return project.Config{}, ErrProjectsOff
	}
	c := project.Config{Table: p.Table, IDColumn: p.IDColumn, NameColumn: p.NameColumn}
	for _, r := range p.Relations {
		c.Relations = append(c.Relations, project.Relation{Table: r.Table, Column: r.Column, References: r.References})
	}
	return c, nil
}

func (e *Engine) projectKeep() int { return e.Cfg.Projects.Keep }

// Projects lists the projects in the database with their backups: with
// [[remote]], counted across locations (remote_project_count.go).
func (e *Engine) Projects(ctx context.Context) ([]ProjectInfo, error) {
	e.repairProjectTriggers(ctx) // best effort; status reports what is left
	cfg, err := e.projectConfig()
	if err != nil {
		return nil, err
	}
	rows, err := project.List(ctx, e.db, cfg)
	if err != nil {
		return nil, err
	}
	var trees []remoteProjectTree // with [[remote]]: counted across locations
	if len(e.Cfg.Remotes) > 0 {
		trees = e.listRemoteProjectTrees(ctx)
	}
	out := make([]ProjectInfo, 0, len(rows))
	for _, r := range rows {
		p := ProjectInfo{ID: r.ID, Name: r.Name}
		if dir, err := catalog.ProjectDir(e.dir(), r.ID); err == nil {
			files, err := catalog.ListProject(dir, r.ID, e.Loc, e.seal(), e.projectOpen())
			if err != nil {
				return nil, err
			}
			p.Backups = len(files)
			if last := newestComplete(files); last != nil {
				p.LastBackup = backupInfo(*last).CreatedAt
			}
			if trees != nil {
				e.projectAcross(ctx, &p, files, trees)
			}
		}
		out = append(out, p)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return e.withBackedUpProjects(out)
}

func backupInfo(f catalog.ProjectFile) ProjectBackupInfo {
	m := f.Meta
	b := ProjectBackupInfo{Filename: f.Name, Path: f.Path, Size: f.Size, CreatedAt: f.Taken, ModifiedAt: f.Modified,
		ProjectID: string(m.ProjectID), ProjectName: m.ProjectName, CreatedBy: m.CreatedBy,
		CreatedByName: m.CreatedByName, BackupVersion: m.BackupVersion, Tables: map[string]int64{}}
	b.State = string(f.State)
	b.Encrypted = catalog.Encrypted(f.Name)
	if f.MetaError != nil {
		b.Problem = f.MetaError.Error()
	} else if f.Problem != nil {
		b.Problem = f.Problem.Error()
	}
	if t, err := time.Parse(time.RFC3339, m.CreatedAt); err == nil {
		b.CreatedAt = t
	}
	for name, t := range m.Tables {
		b.Tables[name] = t.Rows
	}
	return b
}

// ProjectStatus reports whether project id exists, its rows per table and
// its backups.
func (e *Engine) ProjectStatus(ctx context.Context, id string) (ProjectStatus, error) {
	cfg, err := e.projectConfig()
	if err != nil {
		return ProjectStatus{}, err
	}
	dir, err := catalog.ProjectDir(e.dir(), id)
	if err != nil {
		return ProjectStatus{}, err
	}
	st := ProjectStatus{ID: id, Dir: dir}
	backups, locs, err := e.projectBackupsAcross(ctx, id)
	if err != nil {
		return st, err
	}
	st.Backups, st.Locations = len(backups), locs
	for i := range backups {
		if backups[i].State == string(catalog.StateComplete) {
			st.LastBackup = &backups[i]
			break
		}
	}
	s, err := project.LoadSchema(ctx, e.db)
	if err != nil {
		return st, err
	}
	g, err := project.Build(s, cfg)
	if err != nil {
		return st, err
	}
	counts, err := project.Counts(ctx, e.db, g, id)
	if err != nil {
		return st, err
	}
	st.Exists = counts[cfg.Table] > 0
	for _, t := range g.Order {
		st.Tables = append(st.Tables, ProjectTableRows{Table: t, Rows: counts[t]})
	}
	st.Tree = g.Tree(counts)
	if st.Exists {
		list, err := project.List(ctx, e.db, cfg)
		if err != nil {
			return st, err
		}
		for _, p := range list {
			if p.ID == id {
				st.Name = p.Name
			}
		}
	}
	return st, nil
}

// ProjectBackup writes a backup of project id to
// <backup.dir>/projects/<id>/ and keeps the newest projects.keep. It holds
// the directory lock, as every action that writes there does.
func (e *Engine) ProjectBackup(ctx context.Context, id string, fn progress.Func) (ProjectBackupResult, error) {
	var res ProjectBackupResult
	dir := e.dir()
	err := e.do(ctx, actionSpec{action: ActionProjectBackup, object: id, lock: lockExclusive, wait: backupLockWait,
		holder: "project backup", database: e.Cfg.Database.Primary(), prefix: "project " + id + " backup",
		check: func() error {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return fmt.Errorf("project %s backup: create backup.dir: %w", id, err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.projectBackup(ctx, id, fn, "")
		if res.Filename != "" {
			a.Object = res.Filename
		}
		if err == nil {
			a.Then(func(ctx context.Context) { e.pushProjectOffsite(ctx, id, &res) }) // off-site, after its line
		}
		return err
	})
	return res, err
}

// projectBackup takes the backup; reason "safety" skips pruning.
func (e *Engine) projectBackup(ctx context.Context, id string, fn progress.Func, reason string) (ProjectBackupResult, error) {
	start := time.Now()
	if reason != "safety" { // the restore taking it has repaired already
		e.repairProjectTriggers(ctx)
	}
	cfg, err := e.projectConfig()
	if err != nil {
		return ProjectBackupResult{}, err
	}
	dir, err := catalog.ProjectDir(e.dir(), id)
	if err != nil {
		return ProjectBackupResult{}, err
	}
	// projects/ and projects/ID are made one by one, never through a link.
	if err := os.MkdirAll(e.dir(), 0o700); err != nil {
		return ProjectBackupResult{}, fmt.Errorf("project %s backup: %w", id, safefile.Explain(err, e.dir()))
	}
	if err := catalog.CheckDir(e.dir()); err != nil {
		return ProjectBackupResult{}, fmt.Errorf("project %s backup: %w", id, err)
	}
	if err := safefile.MkdirUnder(e.dir(), dir); err != nil {
		return ProjectBackupResult{}, fmt.Errorf("project %s backup: %w", id, err)
	}
	os.Chmod(filepath.Dir(dir), 0o700)
	now, err := freeSecond(ctx, dir, id, e.Loc)
	if err != nil {
		return ProjectBackupResult{}, err
	}
	tr := progress.Start("project backup", fn, 0)
	defer tr.Finish()
	comp := e.projectCompression()
	recipients, err := e.Cfg.AgeRecipients()
	if err != nil {
		return ProjectBackupResult{}, fmt.Errorf("project %s backup: %w", id, err)
	}
	var keys []string
	if len(recipients) > 0 {
		keys = e.Cfg.Encryption.Recipients
	}
	out, err := project.Export(ctx, e.db, cfg, project.ExportOptions{Seal: e.seal(),
		Wrap: e.projectWrap(comp, recipients), Compression: comp, Recipients: keys,
		ID: id, Dir: dir, Name: catalog.ProjectNameAs(id, now, comp, len(recipients) > 0), CreatedAt: now,
		CreatedBy: e.Who.Login, CreatedByName: e.Who.Name, ToolVersion: Version, Reason: reason, Tracker: tr,
	})
	if err != nil {
		return ProjectBackupResult{}, err
	}
	f := catalog.ProjectFile{Name: filepath.Base(out.Path), Path: out.Path, Size: out.Size, Taken: now, Modified: time.Now(), Meta: out.Meta,
		Manifest: out.Manifest, State: catalog.StateComplete}
	res := ProjectBackupResult{ProjectBackupInfo: backupInfo(f), Duration: time.Since(start)}
	if reason != "safety" {
		res.Pruned, err = catalog.PruneProject(dir, id, e.projectKeep(), e.Loc, e.seal(), e.projectOpen())
	}
	return res, err
}

// freeSecond returns now, or the next second when a backup of this project
// already has this second's name.
func freeSecond(ctx context.Context, dir, id string, loc *time.Location) (time.Time, error) {
	now, err := catalog.ClaimSecond(ctx, loc, 3, func(now time.Time) error {
		for _, name := range catalog.ProjectNamesAt(id, now) {
			if _, err := os.Lstat(filepath.Join(dir, name)); !os.IsNotExist(err) {
				return catalog.ErrNameTaken
			}
		}
		return nil
	})
	if errors.Is(err, catalog.ErrNameTaken) {
		return time.Time{}, fmt.Errorf("project %s backup: a backup with this second's name keeps appearing in %s", id, dir)
	}
	return now, err
}

// projectFile checks a backup name of project id and returns its path.
func (e *Engine) projectFile(id, name string) (string, error) {
	dir, err := catalog.ProjectDir(e.dir(), id)
	if err != nil {
		return "", err
	}
	if err := catalog.CheckName(name); err != nil {
		return "", err
	}
	if _, ok := catalog.ParseProjectName(id, name, e.Loc); !ok {
		return "", fmt.Errorf("%q is not a backup of project %s: %w; names look like %s (see `lifeboat project backups %s`)",
			name, id, catalog.ErrBadName, catalog.ProjectNameAs(id, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), e.projectCompression(), e.Cfg.Encryption.Enabled()), id)
	}
	return catalog.Resolve(dir, name)
}

// PlanProjectRestore reads backup name of project id and says, table by
// table, what a restore would delete, insert and leave alone, how
// triggers are handled and what changed in the schema. It changes nothing.
func (e *Engine) PlanProjectRestore(ctx context.Context, id, name string) (ProjectRestorePlan, error) {
	if err := e.fetchProjectIfRemoteOnly(ctx, ActionProjectRestore, id, name, nil); err != nil { // only on a remote: pull it, checked
		return ProjectRestorePlan{}, err
	}
	cfg, err := e.projectConfig()
	if err != nil {
		return ProjectRestorePlan{}, err
	}
	path, err := e.projectFile(id, name)
	if err != nil {
		return ProjectRestorePlan{}, err
	}
	if err := e.projectOpenable(name, path); err != nil {
		return ProjectRestorePlan{}, err
	}
	e.repairProjectTriggers(ctx)
	b, _, err := project.ReadVerified(filepath.Dir(path), name, id, e.seal(), e.projectOpen())
	if err != nil {
		return ProjectRestorePlan{}, err
	}
	res, err := project.Restore(ctx, e.db, cfg, project.RestoreOptions{ID: id, Backup: b, DryRun: true})
	return restorePlan(name, b, res.Plan), err
}

func restorePlan(name string, b *project.Backup, p project.Plan) ProjectRestorePlan {
	m := b.Meta
	out := ProjectRestorePlan{ProjectID: string(m.ProjectID), ProjectName: m.ProjectName, Filename: name,
		CreatedBy: m.CreatedByName, Triggers: p.Triggers, Drift: p.Drift, Warnings: p.Warnings,
		Exists: p.ProjectExists, CurrentName: p.CurrentName, Tree: p.Tree}
	if out.CreatedBy == "" {
		out.CreatedBy = m.CreatedBy
	}
	if t, err := time.Parse(time.RFC3339, m.CreatedAt); err == nil {
		out.CreatedAt = t
	}
	for _, t := range p.Tables {
		out.Tables = append(out.Tables, TablePlan{Table: t.Table, Delete: t.Delete, Insert: t.Insert, Changed: t.Changed, Unchanged: t.Unchanged})
	}
	return out
}

// ProjectRestore puts project id back as backup name holds it, in place
// and in one transaction, after taking a safety backup of its current
// rows. With opts.DryRun it only plans.
func (e *Engine) ProjectRestore(ctx context.Context, id, name string, opts ProjectRestoreOptions, fn progress.Func) (ProjectRestoreResult, error) {
	start := time.Now()
	var res ProjectRestoreResult
	if err := e.fetchProjectIfRemoteOnly(ctx, ActionProjectRestore, id, name, fn); err != nil { // only on a remote: pull it, checked
		return res, err
	}
	err := e.do(ctx, actionSpec{action: ActionProjectRestore, object: name, detail: "project " + id,
		lock: lockExclusive, wait: lockWait, holder: "project restore", database: e.Cfg.Database.Primary(),
		prefix: "project " + id + " restore", plan: opts.DryRun,
		check: func() error {
			if _, err := e.projectConfig(); err != nil {
				return err
			}
			path, err := e.projectFile(id, name)
			if err != nil {
				return err
			}
			return e.projectOpenable(name, path)
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		if opts.DryRun {
			plan, err := e.PlanProjectRestore(ctx, id, name)
			res = ProjectRestoreResult{Plan: plan}
			return err
		}
		res, err = e.projectRestore(ctx, id, name, fn)
		res.Duration = time.Since(start)
		if res.SafetyBackup != "" {
			a.Detail += "; safety backup " + res.SafetyBackup
		}
		return err
	})
	return res, err
}

func (e *Engine) projectRestore(ctx context.Context, id, name string, fn progress.Func) (ProjectRestoreResult, error) {
	cfg, err := e.projectConfig()
	if err != nil {
		return ProjectRestoreResult{}, err
	}
	path, err := e.projectFile(id, name)
	if err != nil {
		return ProjectRestoreResult{}, err
	}
	if err := e.projectOpenable(name, path); err != nil {
		return ProjectRestoreResult{}, err
	}
	if _, err := e.repairProjectTriggers(ctx); err != nil {
		return ProjectRestoreResult{}, fmt.Errorf("project %s restore: %w", id, err)
	}
	b, _, err := project.ReadVerified(filepath.Dir(path), name, id, e.seal(), e.projectOpen())
	if err != nil {
		return ProjectRestoreResult{}, err
	}
	var out ProjectRestoreResult
	tr := progress.Start("project restore", fn, 0)
	defer tr.Finish()
	safety := func(ctx context.Context) error {
		sb, err := e.projectBackup(ctx, id, progress.Nop, "safety")
		if err != nil {
			return fmt.Errorf("project %s restore: safety backup failed, nothing was changed: %w", id, err)
		}
		out.SafetyBackup = sb.Filename
		return nil
	}
	if _, found, _ := e.projectExists(ctx, cfg, id); !found {
		safety = nil // nothing to keep: the project is gone
	}
	res, err := project.Restore(ctx, e.db, cfg, project.RestoreOptions{ID: id, Backup: b, Tracker: tr, BeforeChange: safety,
		JournalDir: e.projectsDir(), BackupName: name})
	out.Plan = restorePlan(name, b, res.Plan)
	out.Inserted, out.Deleted = res.Inserted, res.Deleted
	if err != nil {
		return out, fmt.Errorf("restore %s: %w", name, err)
	}
	out.Restored = map[string]int64{}
	for t, m := range b.Meta.Tables {
		out.Restored[t] = m.Rows
	}
	return out, nil
}

func (e *Engine) projectExists(ctx context.Context, cfg project.Config, id string) (string, bool, error) {
	list, err := project.List(ctx, e.db, cfg)
	if err != nil {
		return "", false, err
	}
	for _, p := range list {
		if p.ID == id {
			return p.Name, true, nil
		}
	}
	return "", false, nil
}

// ProjectDelete removes one backup of project id.
func (e *Engine) ProjectDelete(ctx context.Context, id, name string) error {
	return e.do(ctx, actionSpec{action: ActionProjectDelete, object: name, detail: "project " + id,
		lock: lockExclusive, wait: lockWait, holder: "project delete", prefix: "delete " + name,
		check: func() error {
			_, err := e.projectFile(id, name)
			return err
		},
	}, func(ctx context.Context, _ *actionLog) error { return e.projectDelete(ctx, id, name) })
}

func (e *Engine) projectDelete(ctx context.Context, id, name string) error {
	e.repairProjectTriggers(ctx)
	path, err := e.projectFile(id, name)
	if err != nil {
		return err
	}
	if err := catalog.RemoveProject(filepath.Dir(path), name); err != nil {
		return fmt.Errorf("delete %w", err)
	}
	return nil
}
