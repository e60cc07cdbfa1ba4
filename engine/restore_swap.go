package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
)

// The swap restore (issue 18): the live database keeps serving while the
// file loads into target__lifeboat_new; the copy is checked against the
// manifest; then one RENAME TABLE moves the live tables to
// target__lifeboat_prev_<time> and the copy's into target. The kept
// tables are the safety copy (no safety dump first) and what
// `restore --undo` swaps back. Until the swap, nothing live changes: a
// failed, cancelled or cut-off load drops the copy and says so.

// restoreSwap loads, checks and swaps; res gets the swap's numbers.
func (e *Engine) restoreSwap(ctx context.Context, name, target, path string, pp prepass, others []string, opts RestoreOptions, fn progress.Func, res *RestoreResult) error {
	shadow := shadowName(target)
	cleanup := func() string {
		if err := e.dropSchema(context.WithoutCancel(ctx), shadow); err != nil {
			return fmt.Sprintf("; the copy %q could not be dropped (%v): drop it by hand", shadow, err)
		}
		return "; the copy was dropped"
	}
	unchanged := fmt.Sprintf("database %q is unchanged (not touched): the restore loaded into a separate copy", target)
	if err := e.dropSchema(ctx, shadow); err != nil { // a copy left by a killed lifeboat
		return fmt.Errorf("%w; %s", err, unchanged)
	}
	others = slices.DeleteFunc(slices.Clone(others), func(s string) bool { return s == shadow })
	check, err := e.startShadowCheck(ctx, shadow, pp.manifest)
	if err != nil {
		return fmt.Errorf("%w; %s", err, unchanged)
	}
	defer check.stop()
	var st restore.Result
	if pp.onePass { // checked as it loads (restore_swap_onepass.go)
		st, err = e.loadChecked(ctx, name, path, pp, shadow, target, others, opts, check.loaded, fn)
	} else {
		st, err = e.loadAs(ctx, path, pp.stream, shadow, target, others, opts, fn)
	}
	res.Statements, res.Rows, res.LoadDataRows = st.Statements, st.Rows, st.LoadDataRows
	if err != nil {
		if lostConnection(err) {
			err = fmt.Errorf("%w: lost the connection to the server %s (it may have restarted or killed the session)", err, e.ServerLabel())
		}
		return fmt.Errorf("%w; %s%s", err, unchanged, cleanup())
	}
	stage(ctx, "loaded", 0)
	if err := check.finish(st.Revisited); err != nil {
		return fmt.Errorf("the loaded copy does not match the backup: %w; %s%s", err, unchanged, cleanup())
	}
	// A journal for the window: if lifeboat dies inside it, status says
	// the database may be partial (its triggers dropped, say). The window
	// is short: a Ctrl-C now waits for it rather than cut it in two.
	journal, err := e.beginJournal(target, name, "")
	if err != nil {
		return fmt.Errorf("%w; %s%s", err, unchanged, cleanup())
	}
	sw, err := e.swapSchemas(context.WithoutCancel(ctx), target, shadow)
	res.SwapWindow, res.Previous, res.Note = sw.window, sw.prev, sw.note
	var whole settled
	if err != nil && sw.started && !errors.As(err, &whole) {
		journal.fail(err)
	} else if jerr := journal.done(); jerr != nil && err == nil {
		res.Note = fmt.Sprintf("the restore journal could not be removed: %v; remove %s by hand", jerr, journalName(target))
	}
	if err != nil {
		if !sw.started {
			if sw.prev != "" {
				_ = e.dropSchema(context.WithoutCancel(ctx), sw.prev)
			}
			return fmt.Errorf("%w; %s%s", err, unchanged, cleanup())
		}
		return err
	}
	// keep_previous, and at least the one just made; of --into's target
	// too, whose kept copies status and prune would not see otherwise.
	if pp := e.prunePrevious(ctx, target, max(e.Cfg.Backup.KeepPrevious, 1), nil, false); pp.Error != "" && res.Note == "" {
		res.Note = "older kept states could not be pruned: " + pp.Error
	}
	if len(st.Definers) > 0 && !opts.StripDefiners {
		res.MissingDefiners = e.missingDefiners(ctx, st.Definers)
	}
	res.RestoredAt = time.Now()
	return nil
}

// checkShadow compares the whole copy with the manifest at once (a
// restore checks it as it loads: startShadowCheck).
func (e *Engine) checkShadow(ctx context.Context, shadow string, m *catalog.Manifest) error {
	c, err := e.startShadowCheck(ctx, shadow, m)
	if err != nil {
		return err
	}
	return c.finish(nil)
}

// dropSchema drops a database lifeboat made (a copy or a kept schema).
func (e *Engine) dropSchema(ctx context.Context, db string) error {
	srv, err := e.serverDB()
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := srv.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(db)); err != nil {
		return fmt.Errorf("drop %q: %w", db, err)
	}
	return nil
}
