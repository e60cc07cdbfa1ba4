package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// OffsiteCopy is how the copy of a new backup to one remote went.
type OffsiteCopy struct {
	Remote string
	OK     bool
	Error  string // why it failed; never holds a secret
}

// OffsiteFailedPrefix starts the warning of a backup a remote did not get.
const OffsiteFailedPrefix = "local only: offsite failed: "

// pushAfterBackup ends the off-site copies of the new backup, each with
// its own audit line: it waits for the uploads that followed the dump
// (up), then puts the manifest, last. A remote without a streamed upload
// (it could not start: see startStreams) gets the finished file now. A
// remote that fails leaves the local backup as it is and adds the "local
// only" warning.
func (e *Engine) pushAfterBackup(ctx context.Context, res *BackupResult, up *offsiteStreams, fn progress.Func) {
	defer up.close()
	for _, r := range e.Cfg.Remotes {
		u := up.of(r.Name)
		detail := "remote " + r.Name + ", after backup"
		if u != nil {
			detail = "remote " + r.Name + ", streamed during backup"
		}
		err := e.nested(ctx, ActionPush, res.Filename, detail, func(ctx context.Context, a *actionLog) error {
			st, err := e.pushNew(ctx, r, u, res, fn)
			if err == nil {
				a.Detail += e.abortOrphans(ctx, st, res)
			}
			return err
		})
		c := OffsiteCopy{Remote: r.Name, OK: err == nil}
		if err != nil {
			c.Error = err.Error()
			res.Warnings = append(res.Warnings, OffsiteFailedPrefix+c.Error)
		}
		res.Offsite = append(res.Offsite, c)
	}
}

// pushNew copies the new backup res to r: the end of its streamed upload
// u, else the whole file now.
func (e *Engine) pushNew(ctx context.Context, r config.Remote, u *offsiteStream, res *BackupResult, fn progress.Func) (*remote.Store, error) {
	if u != nil {
		return u.st, e.finishStream(ctx, u, res, fn)
	}
	st, err := remote.Open(r)
	if err != nil {
		return nil, err
	}
	en, err := e.listed(res.Filename)
	if err != nil {
		return nil, err
	}
	_, err = e.pushLocked(ctx, st, en, fn)
	return st, err
}

// abortOrphans aborts the uploads of backups older than res that a remote
// kept when it went down in the middle of them (their own abort could not
// reach it), so their parts are not paid for until someone pushes them
// again. A backup holds backup.dir's exclusive lock, so no other upload
// from it is running. It returns what to add to the audit detail.
func (e *Engine) abortOrphans(ctx context.Context, st *remote.Store, res *BackupResult) string {
	aborted, err := st.AbortOrphans(ctx, func(name string) bool {
		t, ok := catalog.ParseBackupTime(name, e.Loc)
		return ok && name != res.Filename && t.Before(res.CreatedAt)
	})
	switch {
	case err != nil:
		return "; old open uploads not aborted: " + err.Error()
	case len(aborted) > 0:
		return fmt.Sprintf("; aborted the open uploads of %s", strings.Join(aborted, ", "))
	}
	return ""
}
