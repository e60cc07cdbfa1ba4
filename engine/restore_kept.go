package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
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
	Name     string
	Bytes    int64
	Database string // whose tables they were: restore --undo --into Database
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

// keptDatabases are the databases whose kept schemas prune and status
// look at: database.name, or with database.names every database a swap
// restore kept tables of (a whole-server restore swaps each).
func (e *Engine) keptDatabases(ctx context.Context) ([]string, error) {
	if e.Cfg.Database.Name != "" {
		return []string{e.Cfg.Database.Name}, nil
	}
	srv, err := e.serverDB()
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	names, err := queryStrings(ctx, srv, `SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '%\_\_lifeboat\_prev\_%' ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("server %s: list kept schemas: %w", e.ServerLabel(), err)
	}
	var out []string
	for _, n := range names {
		i := strings.LastIndex(n, prevMarker)
		if db := n[:i]; i > 0 && keptSuffix(n[i+len(prevMarker):]) && !slices.Contains(out, db) {
			out = append(out, db)
		}
	}
	return out, nil
}

// prunePreviousAll is prunePrevious for each of keptDatabases.
func (e *Engine) prunePreviousAll(ctx context.Context, keep int, only []string, dryRun bool) PreviousPrune {
	dbs, err := e.keptDatabases(ctx)
	if err != nil {
		return PreviousPrune{Keep: keep, Error: err.Error()}
	}
	res := PreviousPrune{Keep: keep}
	for _, db := range dbs {
		p := e.prunePrevious(ctx, db, keep, only, dryRun)
		res.Dropped, res.Freed = append(res.Dropped, p.Dropped...), res.Freed+p.Freed
		if p.Error != "" {
			res.Error = p.Error
			break
		}
	}
	return res
}

// keptPrevious lists the kept schemas of keptDatabases for status; nil
// when the server does not answer (status says so elsewhere).
func (e *Engine) keptPrevious(ctx context.Context) []KeptPrevious {
	dbs, err := e.keptDatabases(ctx)
	if err != nil {
		return nil
	}
	out := []KeptPrevious{}
	for _, db := range dbs {
		kept, err := e.keptSchemas(ctx, db)
		if err != nil {
			return nil
		}
		for _, k := range kept {
			out = append(out, KeptPrevious{Name: k.Name, Bytes: k.Bytes, Database: db})
		}
	}
	// Newest first, across databases: the name ends in the time it was kept.
	slices.SortStableFunc(out, func(a, b KeptPrevious) int {
		return strings.Compare(strings.TrimPrefix(b.Name, b.Database), strings.TrimPrefix(a.Name, a.Database))
	})
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
