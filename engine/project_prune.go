package engine

import (
	"context"
	"fmt"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// ProjectPruneOptions tune a prune of one project's backups.
type ProjectPruneOptions struct {
	DryRun bool
	// Only, when set, is the exact list the user confirmed: a file not in
	// the plan now is not removed, and one the plan now adds is kept.
	Only []string
}

// ProjectPruneResult is what a project prune removed, or would remove.
type ProjectPruneResult struct {
	ProjectID string
	Keep      int      // projects.keep: the newest complete backups kept
	Total     int      // the project's backup files before
	Deleted   []string // removed (or, in a dry run, to be removed), newest first
	DryRun    bool
}

// ProjectPrune removes project id's complete backups beyond the newest
// projects.keep, as a project backup does after it writes (issue 13 item
// 10, so the screen can prune too). Incomplete files are never removed.
func (e *Engine) ProjectPrune(ctx context.Context, id string, opts ProjectPruneOptions) (ProjectPruneResult, error) {
	res := ProjectPruneResult{ProjectID: id, Keep: e.projectKeep(), DryRun: opts.DryRun}
	var dir string
	err := e.do(ctx, actionSpec{action: ActionProjectPrune, object: id, detail: fmt.Sprintf("keep %d", res.Keep),
		lock: lockExclusive, wait: lockWait, holder: "project prune", prefix: "project " + id + " prune", plan: opts.DryRun,
		check: func() (err error) {
			if _, err = e.projectConfig(); err != nil {
				return err
			}
			dir, err = catalog.ProjectDir(e.dir(), id)
			return err
		},
	}, func(ctx context.Context, a *actionLog) error {
		files, err := catalog.ListProject(dir, id, e.Loc, e.seal(), e.projectOpen())
		if err != nil {
			return err
		}
		res.Total = len(files)
		plan := projectPruneNames(files, res.Keep)
		if opts.DryRun {
			res.Deleted = plan
			return nil
		}
		for _, name := range plan {
			if opts.Only != nil && !contains(opts.Only, name) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := catalog.RemoveProject(dir, name); err != nil {
				return fmt.Errorf("project %s prune: %w", id, err)
			}
			res.Deleted = append(res.Deleted, name)
		}
		a.Detail += fmt.Sprintf("; removed %d", len(res.Deleted))
		return nil
	})
	return res, err
}

// projectPruneNames are the complete files beyond the newest keep; files
// is newest first, as catalog.ListProject returns it.
func projectPruneNames(files []catalog.ProjectFile, keep int) []string {
	if keep <= 0 {
		return nil
	}
	var out []string
	kept := 0
	for _, f := range files {
		if f.State != catalog.StateComplete {
			continue
		}
		if kept++; kept > keep {
			out = append(out, f.Name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
