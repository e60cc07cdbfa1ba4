package engine

// Retention per location (issue 20 item 7): each remote keeps its own
// keep (default backup.keep) with the same policy as backup.dir
// (catalog.PlanPrune). Only objects lifeboat wrote are candidates: a
// backup name with a manifest there signed by a trusted key. Another
// tool's files under the prefix are never touched. The newest verified
// backup is kept on every location.

import (
	"context"
	"fmt"
	"slices"

	"github.com/lifeboat-dev/lifeboat/engine/units"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// RemotePrune is what prune removed (or would) on one remote.
type RemotePrune struct {
	Remote      string
	Keep        int
	FilesBefore int
	Deleted     []string
	SpaceFreed  int64
	Error       string // the remote could not be listed or an object not removed
	// Project backups under projects/<id>/ (remote_project_prune.go), each
	// project its newest ProjectKeep; only `lifeboat prune` and a project
	// backup prune them, not the prune after a full backup.
	ProjectKeep        int
	ProjectFilesBefore int
	ProjectDeleted     []string // object names: projects/<id>/<file>
	ProjectSpaceFreed  int64
	// BinlogDeleted are the archive files removed under binlog/ (binlog_remote_prune.go).
	BinlogDeleted []string
	BinlogFreed   int64
}

// pruneRemotes prunes every remote, each with its own audit line (none on
// a dry run). protect names backups kept everywhere (the newest verified).
// With projects, the project backups there are pruned too.
func (e *Engine) pruneRemotes(ctx context.Context, opts PruneOptions, protect map[string]bool, projects bool) []RemotePrune {
	var out []RemotePrune
	for _, r := range e.Cfg.Remotes {
		var rp RemotePrune
		run := func(ctx context.Context, a *actionLog) error {
			var err error
			rp, err = e.pruneRemote(ctx, r, opts, protect)
			if err == nil && projects {
				err = e.pruneRemoteProjects(ctx, r, opts, &rp, "")
			}
			if err == nil {
				err = e.pruneRemoteBinlog(ctx, r, opts, &rp)
			}
			a.Object = pruneObject(PruneResult{Deleted: append(slices.Clip(rp.Deleted), rp.ProjectDeleted...)})
			a.Detail = fmt.Sprintf("remote %s: keep %d, %d of %d removed, %s freed", r.Name, rp.Keep, len(rp.Deleted), rp.FilesBefore,
				units.Size(uint64(rp.SpaceFreed)))
			if projects {
				a.Detail += "; " + projectPruneDetail(rp)
			}
			if n := len(rp.BinlogDeleted); n > 0 {
				a.Detail += fmt.Sprintf("; %d binary-log archive files removed (%s)", n, units.Size(uint64(rp.BinlogFreed)))
			}
			return err
		}
		var err error
		if opts.DryRun {
			err = run(ctx, &actionLog{})
		} else {
			err = e.nested(ctx, ActionPrune, "remote "+r.Name, "", run)
		}
		if err != nil {
			rp.Error = err.Error()
		}
		out = append(out, rp)
	}
	return out
}

func (e *Engine) pruneRemote(ctx context.Context, r config.Remote, opts PruneOptions, protect map[string]bool) (RemotePrune, error) {
	rp := RemotePrune{Remote: r.Name, Keep: e.Cfg.RemoteKeep(r)}
	entries, st, err := e.remoteEntries(ctx, r)
	if err != nil {
		return rp, err
	}
	scope := e.scope()
	for _, en := range entries {
		if catalog.Prunable(en) && en.Scope() == scope {
			rp.FilesBefore++
		}
	}
	drop := catalog.PlanPrune(entries, catalog.PrunePolicy{Scope: scope, Keep: rp.Keep, Pinned: protect})
	if opts.RemoteOnly != nil { // a confirmed run: only what the dry run showed
		drop = onlyNamed(drop, append([]string{}, opts.RemoteOnly[r.Name]...))
	}
	for _, en := range drop {
		if err := ctx.Err(); err != nil {
			return rp, err
		}
		if !opts.DryRun {
			// The manifest first: a file without it is no backup there.
			if err := st.Remove(ctx, catalog.ManifestName(en.Name)); err != nil {
				return rp, err
			}
			if err := st.Remove(ctx, en.Name); err != nil {
				return rp, err
			}
		}
		rp.Deleted = append(rp.Deleted, en.Name)
		rp.SpaceFreed += en.Size
	}
	return rp, nil
}

// remoteEntries lists the backups lifeboat wrote on r, newest first, as
// catalog entries for the prune policy: trusted manifest and file both there.
func (e *Engine) remoteEntries(ctx context.Context, r config.Remote) ([]catalog.Entry, *remote.Store, error) {
	st, err := remote.Open(r)
	if err != nil {
		return nil, nil, err
	}
	objs, err := st.List(ctx)
	if err != nil {
		return nil, nil, err
	}
	rl := remoteListing{name: r.Name, store: st, objects: map[string]remote.Object{}}
	for _, o := range objs {
		rl.objects[o.Name] = o
	}
	infos := e.remoteOnly(ctx, []remoteListing{rl}, nil)
	out := make([]catalog.Entry, 0, len(infos))
	for _, b := range infos {
		out = append(out, catalog.Entry{Name: b.Filename, Size: b.Size, CreatedAt: b.CreatedAt, ModTime: b.ModifiedAt,
			CreatedBy: b.CreatedBy, State: b.State, Ours: true, Manifest: b.Manifest})
	}
	return out, st, nil
}

// keptEverywhere names the newest verified local backup: kept on every
// location, whatever a remote's own listing says.
func (e *Engine) keptEverywhere() map[string]bool {
	entries, _ := e.entries()
	for _, en := range entries {
		if en.State == StateVerified && !en.Safety() && en.Scope() == e.scope() {
			return map[string]bool{en.Name: true}
		}
	}
	return map[string]bool{}
}

// RemoteDeleted is, for each remote, what this (dry-run) result removes:
// pass it as PruneOptions.RemoteOnly once the user confirmed it.
func (r PruneResult) RemoteDeleted() map[string][]string {
	out := map[string][]string{}
	for _, rp := range r.Remotes {
		out[rp.Remote] = append([]string{}, rp.Deleted...)
	}
	return out
}

// RemoteProjectDeleted is, for each remote, the project backups this
// (dry-run) result removes there: pass it as
// PruneOptions.RemoteProjectOnly once the user confirmed them.
func (r PruneResult) RemoteProjectDeleted() map[string][]string {
	out := map[string][]string{}
	for _, rp := range r.Remotes {
		out[rp.Remote] = append([]string{}, rp.ProjectDeleted...)
	}
	return out
}
