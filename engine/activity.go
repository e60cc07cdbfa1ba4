package engine

import (
	"context"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
)

// Activity returns the audit log newest first, at most limit (0: all).
func (e *Engine) Activity(ctx context.Context, limit int) ([]audit.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return audit.Read(e.dir(), limit)
}
