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

// pushAfterBackup copies the new backup, then its manifest, to every
// remote, each push with its own audit line. A remote that fails leaves
// the local backup as it is and adds the "local only" warning.
func (e *Engine) pushAfterBackup(ctx context.Context, res *BackupResult, fn progress.Func) {
	for _, r := range e.Cfg.Remotes {
		err := e.nested(ctx, ActionPush, res.Filename, "remote "+r.Name+", after backup", func(ctx context.Context, a *actionLog) error {
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
