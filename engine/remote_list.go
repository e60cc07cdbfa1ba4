package engine

// list and status across locations (issue 20 item 5): every backup entry
// says where it is, and a backup only a remote holds (the local disk was
// lost) is listed too, from its signed manifest there.

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// LocalLocation is the name of backup.dir among a backup's locations.
const LocalLocation = "local"

// Location is one place that holds a backup and how it stands there.
type Location struct {
	Name  string // "local" or a remote's name
	State State
}

// Where is the WHERE column: local, offsite or local+offsite.
func (b BackupInfo) Where() string {
	local, off := false, false
	for _, l := range b.Locations {
		if l.Name == LocalLocation {
			local = true
		} else {
			off = true
		}
	}
	switch {
	case local && off:
		return "local+offsite"
	case off:
		return "offsite"
	}
	return "local"
}

// remoteListing is what one remote holds: objects by name, or why not.
type remoteListing struct {
	name    string
	store   *remote.Store
	objects map[string]remote.Object
	err     error
}

// listRemotes lists every remote; one that fails is reported, not fatal.
func (e *Engine) listRemotes(ctx context.Context) []remoteListing {
	out := make([]remoteListing, 0, len(e.Cfg.Remotes))
	for _, r := range e.Cfg.Remotes {
		rl := remoteListing{name: r.Name, objects: map[string]remote.Object{}}
		rl.store, rl.err = remote.Open(r)
		if rl.err == nil {
			lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			var objs []remote.Object
			objs, rl.err = rl.store.List(lctx)
			cancel()
			for _, o := range objs {
				rl.objects[o.Name] = o
			}
		}
		out = append(out, rl)
	}
	return out
}

// remoteState is how backup name (size bytes) stands on a remote, and
// whether it is there at all: its file and its manifest must both be.
func (rl remoteListing) remoteState(name string, size int64) (State, bool) {
	o, ok := rl.objects[name]
	if !ok {
		return "", false
	}
	if _, ok := rl.objects[catalog.ManifestName(name)]; !ok || (size >= 0 && o.Size != size) {
		return StateIncomplete, true
	}
	return StateComplete, true
}

// mergeRemotes adds the locations to local entries and appends the
// backups only a remote holds, newest first.
func (e *Engine) mergeRemotes(ctx context.Context, local []BackupInfo) []BackupInfo {
	if len(e.Cfg.Remotes) == 0 {
		return local
	}
	lists := e.listRemotes(ctx)
	byName := map[string]int{}
	for i := range local {
		b := &local[i]
		byName[b.Filename] = i
		b.Locations = []Location{{LocalLocation, b.State}}
		size := int64(-1)
		if b.Manifest != nil {
			size = b.Manifest.Size
		}
		for _, rl := range lists {
			if st, ok := rl.remoteState(b.Filename, size); ok {
				b.Locations = append(b.Locations, Location{rl.name, st})
			}
		}
	}
	local = append(local, e.remoteOnly(ctx, lists, byName)...)
	slices.SortStableFunc(local, func(a, b BackupInfo) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return local
}

// remoteOnly are the backups the remotes hold and seen does not, from
// their signed manifests there, newest first. A name without its manifest
// there (an upload cut short) or with one no trusted key signed is skipped.
func (e *Engine) remoteOnly(ctx context.Context, lists []remoteListing, seen map[string]int) []BackupInfo {
	if seen == nil {
		seen = map[string]int{}
	}
	var local []BackupInfo
	for _, rl := range lists {
		for name := range rl.objects {
			if _, seen := seen[name]; seen || !catalog.IsOurs(name, e.Loc) || strings.HasSuffix(name, catalog.ManifestSuffix) {
				continue
			}
			if _, ok := rl.objects[catalog.ManifestName(name)]; !ok {
				continue // no manifest there: an upload that did not finish
			}
			m, _, err := e.remoteManifest(ctx, rl.store, name)
			if err != nil {
				continue // not signed by a trusted key: not ours to show as a backup
			}
			st, _ := rl.remoteState(name, m.Size)
			b := BackupInfo{Filename: name, Size: m.Size, CreatedAt: m.CreatedAt.In(e.Loc), ModifiedAt: rl.objects[name].ModTime.In(e.Loc),
				CreatedBy: m.CreatedBy, State: st, Databases: m.Databases, Rows: m.Rows, Manifest: m, Safety: m.Reason == "safety"}
			if st == StateComplete && m.Verify != nil && m.Verify.OK {
				b.State = StateVerified
			}
			b.Locations = []Location{{rl.name, b.State}}
			seen[name] = len(local)
			local = append(local, b)
		}
	}
	slices.SortStableFunc(local, func(a, b BackupInfo) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return local
}
