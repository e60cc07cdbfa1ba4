package engine

// Project backups off-site (issue 20): each one is copied, then its
// signed manifest, last, to <prefix>projects/<id>/ on every remote. A
// project backup only a remote holds is listed (WHERE offsite), and pull,
// restore and verify fetch it into projects/<id>/, checked against the
// signed manifest (size and sha256) before the file gets its real name.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/project"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// remoteProjectKey is the object name of a project backup file (or its
// manifest) on a remote.
func remoteProjectKey(id, name string) string { return path.Join("projects", id, name) }

// pushProjectOffsite copies a new project backup, then its manifest, to
// every remote under <prefix>projects/<id>/, each push audited, then
// prunes that project there to the remote's keep. A remote that fails
// leaves the local backup standing.
func (e *Engine) pushProjectOffsite(ctx context.Context, id string, res *ProjectBackupResult) {
	for _, r := range e.Cfg.Remotes {
		err := e.nested(ctx, ActionPush, res.Filename, "remote "+r.Name+", after project backup", func(ctx context.Context, a *actionLog) error {
			st, err := remote.Open(r)
			if err != nil {
				return err
			}
			return pushProjectFile(ctx, st, id, res.Path)
		})
		c := OffsiteCopy{Remote: r.Name, OK: err == nil}
		if err != nil {
			c.Error = err.Error()
		}
		res.Offsite = append(res.Offsite, c)
		if err == nil { // that location's keep, as projects.keep prunes backup.dir
			res.RemotePruned = append(res.RemotePruned, e.pruneProjectOffsite(ctx, r, id))
		}
	}
}

// pushProjectFile uploads the backup at p, then its manifest as it is on
// disk (signed), so an object without its manifest is incomplete there.
func pushProjectFile(ctx context.Context, st *remote.Store, id, p string) error {
	name := filepath.Base(p)
	mb, err := os.ReadFile(p + project.ManifestSuffix)
	if err != nil {
		return fmt.Errorf("push %s: its manifest: %w", name, err)
	}
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("push %s: %w", name, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("push %s: %w", name, err)
	}
	if err := st.Put(ctx, remoteProjectKey(id, name), f, fi.Size(), nil); err != nil {
		return err
	}
	return st.Put(ctx, remoteProjectKey(id, project.ManifestName(name)), bytes.NewReader(mb), int64(len(mb)), nil)
}

// remoteProjectManifest reads and checks the signed manifest of project
// backup name of id on st.
func (e *Engine) remoteProjectManifest(ctx context.Context, st *remote.Store, id, name string) (*project.Manifest, []byte, error) {
	mb, err := st.ReadSmall(ctx, remoteProjectKey(id, project.ManifestName(name)), maxManifestSize)
	if errors.Is(err, remote.ErrNotFound) {
		return nil, nil, fmt.Errorf("remote %q has no manifest for project backup %s: it is incomplete or not there: %w", st.Name, name, os.ErrNotExist)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := e.seal().Check(mb); err != nil {
		return nil, nil, fmt.Errorf("remote %q: manifest of %s: %w: it is not fetched", st.Name, name, err)
	}
	m, err := project.ParseManifest(name, mb)
	if err != nil {
		return nil, nil, fmt.Errorf("remote %q: %w", st.Name, err)
	}
	if string(m.ProjectID) != id {
		return nil, nil, fmt.Errorf("remote %q: manifest of %s is of project %s, not %s: it is not fetched", st.Name, name, m.ProjectID, id)
	}
	return m, mb, nil
}

// projectListing is what one remote holds of one project: its objects
// under projects/<id>/ by name, or why they could not be listed.
type projectListing struct {
	remote string
	store  *remote.Store
	objs   map[string]remote.Object
	err    error
}

// listRemoteProject lists projects/<id>/ on every remote.
func (e *Engine) listRemoteProject(ctx context.Context, id string) []projectListing {
	out := make([]projectListing, 0, len(e.Cfg.Remotes))
	for _, r := range e.Cfg.Remotes {
		l := projectListing{remote: r.Name, objs: map[string]remote.Object{}}
		if l.store, l.err = remote.Open(r); l.err == nil {
			lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			var objs []remote.Object
			objs, l.err = l.store.ListUnder(lctx, path.Join("projects", id))
			cancel()
			for _, o := range objs {
				l.objs[o.Name] = o
			}
		}
		out = append(out, l)
	}
	return out
}

// mergeProjectListings adds each listed remote's copy to the locations of
// project id's local backups and appends those only a remote holds,
// newest first. A remote that could not be listed is left out; listing
// does not fail.
func (e *Engine) mergeProjectListings(ctx context.Context, id string, local []ProjectBackupInfo, ls []projectListing) []ProjectBackupInfo {
	seen := map[string]bool{}
	for i := range local {
		local[i].Locations = []Location{{LocalLocation, State(local[i].State)}}
		seen[local[i].Filename] = true
	}
	for _, l := range ls {
		if l.err != nil {
			continue
		}
		for i := range local {
			if o, ok := l.objs[local[i].Filename]; ok {
				local[i].Locations = append(local[i].Locations, Location{l.remote, remoteProjectState(l.objs, o, local[i].Size)})
			}
		}
		local = append(local, e.remoteOnlyProjects(ctx, l.store, id, l.objs, seen)...)
	}
	slices.SortStableFunc(local, func(a, b ProjectBackupInfo) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return local
}

// remoteProjectState is complete when the object has its manifest beside
// it and the expected size (size < 0: not known).
func remoteProjectState(objs map[string]remote.Object, o remote.Object, size int64) State {
	if _, ok := objs[project.ManifestName(o.Name)]; !ok || (size >= 0 && o.Size != size) {
		return StateIncomplete
	}
	return StateComplete
}

// remoteOnlyProjects are the project backups of id on st that seen lacks,
// from their signed manifests there; names without a manifest there, or
// with one no trusted key signed, are skipped.
func (e *Engine) remoteOnlyProjects(ctx context.Context, st *remote.Store, id string, objs map[string]remote.Object, seen map[string]bool) []ProjectBackupInfo {
	var out []ProjectBackupInfo
	for name, o := range objs {
		t, ok := catalog.ParseProjectName(id, name, e.Loc)
		if !ok || seen[name] {
			continue
		}
		if _, ok := objs[project.ManifestName(name)]; !ok {
			continue // an upload that did not finish
		}
		m, _, err := e.remoteProjectManifest(ctx, st, id, name)
		if err != nil {
			continue
		}
		f := catalog.ProjectFile{Name: name, Size: m.Size, Taken: t, Modified: o.ModTime.In(e.Loc), Meta: m.Meta(),
			Manifest: m, State: catalog.State(remoteProjectState(objs, o, m.Size))}
		b := backupInfo(f)
		if b.Encrypted {
			b.Opens = e.projectOpens("")
		}
		b.Locations = []Location{{st.Name, State(b.State)}}
		seen[name] = true
		out = append(out, b)
	}
	return out
}

// ProjectPull copies project backup name of id from a remote into
// backup.dir/projects/<id>/, checking its size and sha256 against its
// signed manifest on arrival; a mismatch is refused and nothing is left.
func (e *Engine) ProjectPull(ctx context.Context, id, name string, opts RemoteOptions, fn progress.Func) (CopyResult, error) {
	var st *remote.Store
	var res CopyResult
	var dir string
	err := e.do(ctx, actionSpec{action: ActionPull, object: name, detail: "project " + id,
		lock: lockExclusive, wait: lockWait, holder: "pull", prefix: "pull " + name,
		check: func() (err error) {
			if dir, err = catalog.ProjectDir(e.dir(), id); err != nil {
				return fmt.Errorf("pull: %w", err)
			}
			if err = catalog.CheckName(name); err != nil {
				return fmt.Errorf("pull: %w", err)
			}
			if _, ok := catalog.ParseProjectName(id, name, e.Loc); !ok {
				return fmt.Errorf("pull: %q is not a backup of project %s: %w", name, id, catalog.ErrBadName)
			}
			if st, err = e.openStore(opts.Remote); err != nil {
				return fmt.Errorf("pull %s: %w", name, err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		a.Detail = "project " + id + ", remote " + st.Name
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("pull %s: it is already in %s: delete it first to fetch the remote copy", name, dir)
		}
		res, err = e.projectPullLocked(ctx, st, id, dir, name, fn)
		return err
	})
	return res, err
}

func (e *Engine) projectPullLocked(ctx context.Context, st *remote.Store, id, dir, name string, fn progress.Func) (CopyResult, error) {
	start := time.Now()
	m, mb, err := e.remoteProjectManifest(ctx, st, id, name)
	if err != nil {
		return CopyResult{}, err
	}
	if err := os.MkdirAll(e.dir(), 0o700); err != nil {
		return CopyResult{}, fmt.Errorf("pull %s: %w", name, safefile.Explain(err, e.dir()))
	}
	if err := safefile.MkdirUnder(e.dir(), dir); err != nil {
		return CopyResult{}, fmt.Errorf("pull %s: %w", name, err)
	}
	out, err := safefile.Create(dir, name)
	if err != nil {
		return CopyResult{}, fmt.Errorf("pull %s: %w", name, safefile.Explain(err, dir))
	}
	defer out.Abort() // after Commit it does nothing
	tr := progress.Start("pull", fn, 0)
	defer tr.Finish()
	tr.SetTable(st.Name)
	tr.SetBytesTotal(m.Size)
	if err := fetchObject(ctx, st, remoteProjectKey(id, name), m.Size, m.SHA256, progressTee{out, tr}); err != nil {
		return CopyResult{}, err
	}
	if err := out.Commit(); err != nil {
		return CopyResult{}, fmt.Errorf("pull %s: %w", name, err)
	}
	if err := safefile.WriteFile(dir, project.ManifestName(name), mb); err != nil {
		_ = os.Remove(filepath.Join(dir, name))
		return CopyResult{}, fmt.Errorf("pull %s: write its manifest: %w", name, err)
	}
	return CopyResult{Filename: name, Remote: st.Name, Size: m.Size, SHA256: m.SHA256, Duration: time.Since(start)}, nil
}

// progressTee writes to w and counts the bytes.
type progressTee struct {
	w interface{ Write([]byte) (int, error) }
	t *progress.Tracker
}

func (p progressTee) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.t.AddBytes(int64(n))
	return n, err
}

// fetchProjectIfRemoteOnly pulls project backup name of id, checked, when
// only a remote holds it, so that restore and verify of a backup the
// local disk lost work from the remote's copy, never from one that does
// not match its manifest. The user must be allowed action first.
func (e *Engine) fetchProjectIfRemoteOnly(ctx context.Context, action Action, id, name string, fn progress.Func) error {
	if len(e.Cfg.Remotes) == 0 || catalog.CheckName(name) != nil {
		return nil
	}
	dir, err := catalog.ProjectDir(e.dir(), id)
	if err != nil {
		return nil // the action itself refuses the id
	}
	if _, ok := catalog.ParseProjectName(id, name, e.Loc); !ok {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err := e.Allowed(action); err != nil {
		return nil // the action itself refuses and audits it
	}
	for _, r := range e.Cfg.Remotes {
		_, err := e.ProjectPull(ctx, id, name, RemoteOptions{Remote: r.Name}, fn)
		if errors.Is(err, os.ErrNotExist) {
			continue // not on this remote
		}
		return err
	}
	return nil
}
