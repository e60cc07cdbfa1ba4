package engine

import (
	"context"
	"fmt"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// Delete removes one backup that list shows, with its manifest. Paths,
// "..", absolute names, symlinks and unknown names are refused. Asking for
// confirmation is the caller's job.
func (e *Engine) Delete(ctx context.Context, name string) error {
	return e.do(ctx, actionSpec{action: ActionDelete, object: name, lock: lockExclusive, wait: lockWait,
		holder: "delete", prefix: "delete " + name,
		check: func() error {
			if _, err := e.listed(name); err != nil {
				return fmt.Errorf("delete: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, _ *actionLog) error { return e.delete(ctx, name) })
}

func (e *Engine) delete(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return catalog.Remove(e.dir(), name)
}
