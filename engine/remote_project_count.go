package engine

// `project list` across locations (issue 20): a project's backups are
// counted in backup.dir and on every remote, so that after the local disk
// is lost the list does not say 0 while a remote holds some. The count is
// that of `project backups ID` (the same merge: a remote-only backup
// counts when a trusted key signed its manifest there), from one listing
// of <prefix>projects/ per remote, not one per project.

import (
	"context"
	"slices"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// ProjectLocation is one location's share of a project's backups.
type ProjectLocation struct {
	Name       string // "local" or a remote's name
	Backups    int
	LastBackup time.Time // newest complete one there; zero when none
	Error      string    // the remote could not be listed: Backups is not known
}

// remoteProjectTree is every project's objects on one remote.
type remoteProjectTree struct {
	remote string
	store  *remote.Store
	byID   map[string]map[string]remote.Object
	err    error
}

// listRemoteProjectTrees lists <prefix>projects/ once on every remote.
func (e *Engine) listRemoteProjectTrees(ctx context.Context) []remoteProjectTree {
	out := make([]remoteProjectTree, 0, len(e.Cfg.Remotes))
	for _, r := range e.Cfg.Remotes {
		t := remoteProjectTree{remote: r.Name}
		if t.store, t.err = remote.Open(r); t.err == nil {
			lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			t.byID, t.err = remoteProjectsOn(lctx, t.store, "")
			cancel()
		}
		out = append(out, t)
	}
	return out
}

// projectAcross sets p's count, newest backup and locations from its local
// backups and the remotes' listings.
func (e *Engine) projectAcross(ctx context.Context, p *ProjectInfo, files []catalog.ProjectFile, trees []remoteProjectTree) {
	local := make([]ProjectBackupInfo, 0, len(files))
	for _, f := range files {
		local = append(local, backupInfo(f))
	}
	ls := make([]projectListing, 0, len(trees))
	for _, t := range trees {
		ls = append(ls, projectListing{remote: t.remote, store: t.store, objs: t.byID[p.ID], err: t.err})
	}
	all := e.mergeProjectListings(ctx, p.ID, local, ls)
	p.Backups = len(all)
	for _, b := range all {
		if b.State == string(catalog.StateComplete) && b.CreatedAt.After(p.LastBackup) {
			p.LastBackup = b.CreatedAt
		}
	}
	p.Locations = projectLocations(all, ls)
}

// projectLocations counts, for backup.dir and each listed remote, the
// backups of all there and the newest complete one.
func projectLocations(all []ProjectBackupInfo, ls []projectListing) []ProjectLocation {
	out := []ProjectLocation{{Name: LocalLocation}}
	for _, l := range ls {
		pl := ProjectLocation{Name: l.remote}
		if l.err != nil {
			pl.Error = l.err.Error()
		}
		out = append(out, pl)
	}
	for _, b := range all {
		for _, l := range b.Locations {
			i := slices.IndexFunc(out, func(pl ProjectLocation) bool { return pl.Name == l.Name })
			if i < 0 {
				continue
			}
			out[i].Backups++
			if l.State == StateComplete && b.CreatedAt.After(out[i].LastBackup) {
				out[i].LastBackup = b.CreatedAt
			}
		}
	}
	return out
}
