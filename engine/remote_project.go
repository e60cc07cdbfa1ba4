package engine

import (
	"context"
	"fmt"
	"os"
	"path"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// pushProjectOffsite copies a new project backup (one self-signed file)
// to every remote under <prefix>projects/<id>/, each push audited. A
// remote that fails leaves the local backup standing.
func (e *Engine) pushProjectOffsite(ctx context.Context, id string, res *ProjectBackupResult) {
	for _, r := range e.Cfg.Remotes {
		err := e.nested(ctx, ActionPush, res.Filename, "remote "+r.Name+", after project backup", func(ctx context.Context, a *actionLog) error {
			st, err := remote.Open(r)
			if err != nil {
				return err
			}
			f, err := os.OpenFile(res.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
			if err != nil {
				return fmt.Errorf("push %s: %w", res.Filename, err)
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				return fmt.Errorf("push %s: %w", res.Filename, err)
			}
			return st.Put(ctx, path.Join("projects", id, res.Filename), f, fi.Size(), nil)
		})
		c := OffsiteCopy{Remote: r.Name, OK: err == nil}
		if err != nil {
			c.Error = err.Error()
		}
		res.Offsite = append(res.Offsite, c)
	}
}
