package engine

import (
	"context"
	"path/filepath"

	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// projectsDir is <backup.dir>/projects, where the trigger journal lives.
func (e *Engine) projectsDir() string { return filepath.Join(e.dir(), "projects") }

// repairProjectTriggers puts back triggers an interrupted project restore
// left guarded (issue 11 item 13). Every project command and status run
// it first; it is best effort: what it could not do, status reports.
func (e *Engine) repairProjectTriggers(ctx context.Context) (project.RepairReport, error) {
	if e.db == nil {
		return project.RepairReport{}, nil
	}
	return project.Repair(ctx, e.db, e.projectsDir())
}

// triggerWarnings are status's lines about guarded triggers: repaired
// now, guarded by a restore in progress, or still guarded.
func (e *Engine) triggerWarnings(ctx context.Context) []string {
	rep, err := e.repairProjectTriggers(ctx)
	var w []string
	if err != nil {
		w = append(w, "cannot check the project triggers for guards left by an interrupted restore: "+err.Error())
	}
	w = append(w, rep.Failed...)
	w = append(w, rep.Repaired...)
	return append(w, rep.Running...)
}
