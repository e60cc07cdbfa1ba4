package engine

import (
	"context"
	"fmt"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// NewestBackup names the newest whole backup of this config's database
// (complete or verified, not a safety backup): what the weekly scheduled
// verify --newest checks.
func (e *Engine) NewestBackup(ctx context.Context) (string, error) {
	entries, err := e.entries()
	if err != nil {
		return "", err
	}
	for _, en := range entries { // newest first
		if catalog.Prunable(en) && en.Scope() == e.scope() && !en.Safety() {
			return en.Name, ctx.Err()
		}
	}
	return "", fmt.Errorf("no complete backup of %s in %s: run lifeboat backup first", e.backupLabel(), e.dir())
}
