package engine

// Listing the backup directory: List, and listed, which resolves a name
// to a file the listing shows. Listing reads manifests only. The other
// actions on full backups are each in a file of their name (prune.go,
// delete.go, cat.go, activity.go, status.go, verify.go); they run through
// the envelope (action.go), which takes their lock and appends their
// audit line.

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// lockWait is how long prune, delete, verify and cat wait for a backup in
// progress before refusing with catalog.ErrBusy.
var lockWait = 10 * time.Second

func (e *Engine) dir() string { return e.Cfg.Backup.Dir }

func (e *Engine) keep() int { return e.Cfg.Backup.Keep }

// List returns the backups in backup.dir newest first, at most limit (0:
// all). It reads manifests, never the backup files.
func (e *Engine) List(ctx context.Context, limit int) ([]BackupInfo, error) {
	entries, err := e.entries()
	if err != nil {
		return nil, err
	}
	out := make([]BackupInfo, len(entries))
	for i, en := range entries {
		out[i] = infoOf(en, e.Loc)
		if o := e.canOpen(en); o != "" {
			out[i].Encrypted, out[i].Opens = true, o
		}
	}
	out = e.mergeRemotes(ctx, out) // with [[remote]]: locations, and remote-only backups
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, ctx.Err()
}

func infoOf(en catalog.Entry, loc *time.Location) BackupInfo {
	bi := BackupInfo{Filename: en.Name, Path: en.Path, Size: en.Size, CreatedAt: en.CreatedAt.In(loc),
		ModifiedAt: en.ModTime.In(loc), CreatedBy: en.CreatedBy, State: en.State, Manifest: en.Manifest,
		Problem: en.Problem}
	if en.Manifest != nil {
		bi.Rows, bi.Databases, bi.Safety = en.Manifest.Rows, en.Manifest.Databases, en.Safety()
	}
	return bi
}

// listed resolves name to a file list shows, refusing everything else.
func (e *Engine) listed(name string) (catalog.Entry, error) {
	if _, err := catalog.Resolve(e.dir(), name); err != nil {
		return catalog.Entry{}, err
	}
	entries, err := e.entries()
	if err != nil {
		return catalog.Entry{}, err
	}
	for _, en := range entries {
		if en.Name == name {
			return en, nil
		}
	}
	return catalog.Entry{}, fmt.Errorf("%q is not a backup: %w; use a file name from `lifeboat list`", name, catalog.ErrBadName)
}
