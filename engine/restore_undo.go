package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// UndoPlan is what `restore --undo` would do.
type UndoPlan struct {
	Database string   // the live database
	From     string   // the kept schema whose tables come back
	Tables   []string // its tables
}

// UndoResult is what an undo did: From's tables are live again, and the
// tables it replaced are kept in Previous (so an undo can be undone).
type UndoResult struct {
	Database   string
	From       string
	Previous   string
	SwapWindow time.Duration
	Duration   time.Duration
	Note       string
}

// ErrNothingToUndo: no swap restore has kept a previous state.
var ErrNothingToUndo = errors.New("nothing to undo")

// PlanUndo finds the newest kept schema of database into (database.name
// when empty).
func (e *Engine) PlanUndo(ctx context.Context, into string) (UndoPlan, error) {
	p := UndoPlan{Database: into}
	if p.Database == "" {
		p.Database = e.Cfg.Database.Name
	}
	if p.Database == "" {
		return p, errors.New("restore --undo: the config names several databases (database.names): say which with --into DB")
	}
	kept, err := e.keptSchemas(ctx, p.Database)
	if err != nil {
		return p, err
	}
	if len(kept) == 0 {
		return p, fmt.Errorf("restore --undo: %w: database %q has no %s* schema (only a swap restore keeps one; an in-place restore's safety backup is restored with lifeboat restore NAME)", ErrNothingToUndo, p.Database, prevMarker)
	}
	p.From = kept[0].Name
	_, p.Tables, err = e.targetTables(ctx, p.From)
	return p, err
}

// Undo swaps the newest kept schema back into the database, the same way
// a swap restore swaps a copy in: one RENAME TABLE, the objects re-created,
// and the tables it replaces kept in a new schema.
func (e *Engine) Undo(ctx context.Context, into string) (UndoResult, error) {
	start := time.Now()
	var res UndoResult
	target := into
	if target == "" {
		target = e.Cfg.Database.Name
	}
	res.Database = target
	err := e.do(ctx, actionSpec{action: ActionRestore, object: "undo", detail: "of " + target,
		lock: lockExclusive, wait: restoreLockWait, holder: "restore --undo", database: target, prefix: "restore --undo",
	}, func(ctx context.Context, a *actionLog) error {
		if err := targetProblem(target); err != nil {
			return err
		}
		p, err := e.PlanUndo(ctx, target)
		if err != nil {
			return err
		}
		res.From = p.From
		exists, _, err := e.targetTables(ctx, target)
		if err != nil {
			return err
		}
		if !exists {
			return fmt.Errorf("database %q does not exist: create it (CREATE DATABASE) and run restore --undo again", target)
		}
		sw, err := e.swapSchemas(context.WithoutCancel(ctx), target, p.From)
		res.Previous, res.SwapWindow, res.Note = sw.prev, sw.window, sw.note
		if err != nil {
			if !sw.started {
				if sw.prev != "" {
					_ = e.dropSchema(context.WithoutCancel(ctx), sw.prev)
				}
				return fmt.Errorf("%w; database %q is unchanged and %q still holds the previous tables", err, target, p.From)
			}
			return err
		}
		a.Detail += fmt.Sprintf("; %s is live again (swapped in %d ms), the replaced tables are kept in %s", p.From, sw.window.Milliseconds(), sw.prev)
		return nil
	})
	res.Duration = time.Since(start)
	return res, err
}

// keptSchema is one __lifeboat_prev_ schema and what it holds.
type keptSchema struct {
	Name  string
	Bytes int64
}

// keptSchemas lists database's kept schemas, newest first, with the
// bytes their tables take.
func (e *Engine) keptSchemas(ctx context.Context, database string) ([]keptSchema, error) {
	srv, err := e.serverDB()
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	like := strings.NewReplacer(`\`, `\\`, "_", `\_`, "%", `\%`).Replace(database+prevMarker) + "%"
	rows, err := srv.QueryContext(ctx, `SELECT s.SCHEMA_NAME, COALESCE(SUM(t.DATA_LENGTH + t.INDEX_LENGTH), 0)
		FROM information_schema.SCHEMATA s LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = s.SCHEMA_NAME
		WHERE s.SCHEMA_NAME LIKE ? GROUP BY s.SCHEMA_NAME ORDER BY s.SCHEMA_NAME DESC`, like)
	if err != nil {
		return nil, fmt.Errorf("server %s: list kept schemas: %w", e.ServerLabel(), err)
	}
	defer rows.Close()
	var out []keptSchema
	for rows.Next() {
		var k keptSchema
		if err := rows.Scan(&k.Name, &k.Bytes); err != nil {
			return nil, err
		}
		if keptSuffix(strings.TrimPrefix(k.Name, database+prevMarker)) {
			out = append(out, k)
		}
	}
	return out, rows.Err()
}

// keptSuffix accepts what newPrevName appends: a UTC time, maybe _N.
func keptSuffix(s string) bool {
	ts, _, _ := strings.Cut(s, "_")
	_, err := time.Parse("20060102T150405", ts)
	return err == nil
}
