package engine

// Retention of project backups off-site (issue 20): on every remote, each
// project's backups under <prefix>projects/<id>/ keep that location's own
// number, as full backups do: the remote's keep when it sets one, else
// the local default for the kind (projects.keep here, backup.keep for
// full backups). Locally each project keeps its newest projects.keep
// complete backups; a remote does the same per project. Only a backup
// whose manifest there a trusted key signed for that project is a
// candidate: another tool's objects, names that are not a project
// backup, an upload without its manifest and a copy whose size differs
// from its manifest are never touched (nor counted). Project backups have
// no verified state; the newest complete one is always kept (keep >= 1).

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/project"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
	"github.com/lifeboat-dev/lifeboat/engine/units"
)

// RemoteProjectKeep is how many backups of each project remote r keeps:
// its own keep, else projects.keep.
func (e *Engine) RemoteProjectKeep(r config.Remote) int {
	if r.Keep > 0 {
		return r.Keep
	}
	return e.projectKeep()
}

// projectObjects groups objects listed under projects/ by project id
// ("12/name" -> ["12"]["name"]); folders that are no valid id, and deeper
// objects, are left out.
func projectObjects(objs []remote.Object) map[string]map[string]remote.Object {
	out := map[string]map[string]remote.Object{}
	for _, o := range objs {
		id, name, ok := strings.Cut(o.Name, "/")
		if !ok || strings.Contains(name, "/") || project.CheckID(id) != nil {
			continue
		}
		if out[id] == nil {
			out[id] = map[string]remote.Object{}
		}
		out[id][name] = remote.Object{Name: name, Size: o.Size, ModTime: o.ModTime}
	}
	return out
}

// remoteProjectsOn lists project backups objects on st by id: every
// project, or only id when it is set.
func remoteProjectsOn(ctx context.Context, st *remote.Store, id string) (map[string]map[string]remote.Object, error) {
	if id == "" {
		objs, err := st.ListTree(ctx, "projects")
		return projectObjects(objs), err
	}
	objs, err := st.ListUnder(ctx, path.Join("projects", id))
	out := map[string]map[string]remote.Object{id: {}}
	for _, o := range objs {
		out[id][o.Name] = o
	}
	return out, err
}

// pruneRemoteProjects prunes the project backups on r (only project id
// when set) to RemoteProjectKeep, into rp. In a confirmed run (opts.
// RemoteOnly or RemoteProjectOnly set) only the keys in RemoteProjectOnly
// go: what the user was shown.
func (e *Engine) pruneRemoteProjects(ctx context.Context, r config.Remote, opts PruneOptions, rp *RemotePrune, id string) error {
	rp.ProjectKeep = e.RemoteProjectKeep(r)
	st, err := remote.Open(r)
	if err != nil {
		return err
	}
	byID, err := remoteProjectsOn(ctx, st, id)
	if err != nil {
		return err
	}
	var confirmed map[string]bool // nil: not a confirmed run, all may go
	if opts.RemoteProjectOnly != nil || opts.RemoteOnly != nil {
		confirmed = map[string]bool{}
		for _, k := range opts.RemoteProjectOnly[r.Name] {
			confirmed[k] = true
		}
	}
	ids := make([]string, 0, len(byID))
	for pid := range byID {
		ids = append(ids, pid)
	}
	slices.Sort(ids)
	for _, pid := range ids {
		before, drop := e.planRemoteProjectPrune(ctx, st, pid, byID[pid], rp.ProjectKeep)
		rp.ProjectFilesBefore += before
		for _, name := range drop {
			key := remoteProjectKey(pid, name)
			if confirmed != nil && !confirmed[key] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if !opts.DryRun {
				// The manifest first, as for full backups: a file without it
				// is no backup there.
				if err := st.Remove(ctx, remoteProjectKey(pid, project.ManifestName(name))); err != nil {
					return err
				}
				if err := st.Remove(ctx, key); err != nil {
					return err
				}
			}
			rp.ProjectDeleted = append(rp.ProjectDeleted, key)
			rp.ProjectSpaceFreed += byID[pid][name].Size
		}
	}
	return nil
}

// planRemoteProjectPrune counts project id's backups on st that lifeboat
// wrote and are whole there, newest first, and names those beyond keep.
func (e *Engine) planRemoteProjectPrune(ctx context.Context, st *remote.Store, id string, objs map[string]remote.Object, keep int) (int, []string) {
	var names []string
	for name := range objs {
		if _, ok := catalog.ParseProjectName(id, name, e.Loc); !ok {
			continue
		}
		if _, ok := objs[project.ManifestName(name)]; ok {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(b, a) }) // newest first, as locally
	var counted int
	var drop []string
	for _, name := range names {
		m, _, err := e.remoteProjectManifest(ctx, st, id, name)
		if err != nil || objs[name].Size != m.Size {
			continue // not provably ours, or not whole: never touched
		}
		if counted++; counted > keep {
			drop = append(drop, name)
		}
	}
	return counted, drop
}

// projectPruneDetail is the audit detail of a remote's project prune.
func projectPruneDetail(rp RemotePrune) string {
	return fmt.Sprintf("projects: keep %d each, %d of %d removed, %s freed", rp.ProjectKeep, len(rp.ProjectDeleted),
		rp.ProjectFilesBefore, units.Size(uint64(rp.ProjectSpaceFreed)))
}

// pruneProjectOffsite prunes project id on remote r after a new backup of
// it went there, as projects.keep prunes backup.dir after each project
// backup; audited with the remote's name, quiet when nothing goes.
func (e *Engine) pruneProjectOffsite(ctx context.Context, r config.Remote, id string) RemotePrune {
	rp := RemotePrune{Remote: r.Name}
	err := e.nested(ctx, ActionPrune, "remote "+r.Name, "", func(ctx context.Context, a *actionLog) error {
		err := e.pruneRemoteProjects(ctx, r, PruneOptions{}, &rp, id)
		a.Object = pruneObject(PruneResult{Deleted: rp.ProjectDeleted})
		a.Detail = "remote " + r.Name + ", project " + id + ": " + projectPruneDetail(rp)
		a.Quiet = err == nil && len(rp.ProjectDeleted) == 0
		return err
	})
	if err != nil {
		rp.Error = err.Error()
	}
	return rp
}
