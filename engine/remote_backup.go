package engine

import (
	"context"

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
			if u != nil {
				return e.finishStream(ctx, u, res, fn)
			}
			st, err := remote.Open(r)
			if err != nil {
				return err
			}
			en, err := e.listed(res.Filename)
			if err != nil {
				return err
			}
			_, err = e.pushLocked(ctx, st, en, fn)
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
