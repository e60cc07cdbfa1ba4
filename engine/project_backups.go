package engine

import (
	"context"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// ProjectBackups lists project id's backups, newest first.
func (e *Engine) ProjectBackups(ctx context.Context, id string) ([]ProjectBackupInfo, error) {
	all, _, err := e.projectBackupsAcross(ctx, id)
	return all, err
}

// projectBackupsAcross lists project id's backups, newest first, in
// backup.dir and on every remote, with each location's share (nil without
// remotes).
func (e *Engine) projectBackupsAcross(ctx context.Context, id string) ([]ProjectBackupInfo, []ProjectLocation, error) {
	e.repairProjectTriggers(ctx)
	dir, err := catalog.ProjectDir(e.dir(), id)
	if err != nil {
		return nil, nil, err
	}
	files, err := catalog.ListProject(dir, id, e.Loc, e.seal(), e.projectOpen())
	if err != nil {
		return nil, nil, err
	}
	out := make([]ProjectBackupInfo, 0, len(files))
	for _, f := range files {
		b := backupInfo(f)
		if b.Encrypted {
			b.Opens = e.projectOpens(f.Path)
		}
		out = append(out, b)
	}
	if len(e.Cfg.Remotes) == 0 {
		return out, nil, ctx.Err()
	}
	ls := e.listRemoteProject(ctx, id)
	out = e.mergeProjectListings(ctx, id, out, ls)
	return out, projectLocations(out, ls), ctx.Err()
}
