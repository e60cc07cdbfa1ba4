package engine

import (
	"context"
	"fmt"
	"slices"
)

// PreviousPrune is what prune did to the schemas swap restores kept
// (<db>__lifeboat_prev_*): those beyond backup.keep_previous go, oldest
// first. Error is set when the server could not be asked; the files were
// pruned all the same.
type PreviousPrune struct {
	Keep    int
	Dropped []string
	Freed   int64 // bytes their tables took
	Error   string
}

// KeptPrevious is one schema a swap restore kept, for status.
type KeptPrevious struct {
	Name  string
	Bytes int64
}

// prunePrevious drops database db's kept schemas beyond keep. With only
// set (a confirmed list), it drops only the schemas named there.
func (e *Engine) prunePrevious(ctx context.Context, db string, keep int, only []string, dryRun bool) PreviousPrune {
	res := PreviousPrune{Keep: keep}
	kept, err := e.keptSchemas(ctx, db)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	for i, k := range kept {
		if i < keep || (only != nil && !slices.Contains(only, k.Name)) {
			continue
		}
		if !dryRun {
			if err := e.dropSchema(ctx, k.Name); err != nil {
				res.Error = fmt.Sprintf("%v; drop it by hand", err)
				return res
			}
		}
		res.Dropped = append(res.Dropped, k.Name)
		res.Freed += k.Bytes
	}
	return res
}

// keptPrevious lists database.name's kept schemas for status; nil when
// the server does not answer (status says so elsewhere).
func (e *Engine) keptPrevious(ctx context.Context) []KeptPrevious {
	kept, err := e.keptSchemas(ctx, e.Cfg.Database.Name)
	if err != nil {
		return nil
	}
	out := make([]KeptPrevious, 0, len(kept))
	for _, k := range kept {
		out = append(out, KeptPrevious(k))
	}
	return out
}

// leftoverCopy says when database.name's swap copy is on the server and
// no lifeboat holds the directory (so no restore is loading it): a killed
// restore left it. "" otherwise, or when the server does not answer.
func (e *Engine) leftoverCopy(ctx context.Context) string {
	shadow := shadowName(e.Cfg.Database.Name)
	exists, _, err := e.targetTables(ctx, shadow)
	if err != nil || !exists {
		return ""
	}
	idle := false
	e.whileIdle(ctx, "status", func() { idle = true })
	if !idle {
		return ""
	}
	return fmt.Sprintf("%q on the server is the copy of a swap restore that did not finish (the live database was not changed): the next restore drops it, or drop it now with: DROP DATABASE %s", shadow, quoteIdent(shadow))
}
