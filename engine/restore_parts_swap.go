package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The whole-server swap restore (issue 18): each database of the file
// that is here with tables loads into its own copy, in the one pass over
// the file every whole-server restore makes; each copy is checked against
// the manifest; then the databases swap in one after the other, each in
// its own RENAME TABLE window, its old tables kept for restore --undo
// --into. A database the server does not have yet loads directly (there
// is nothing live to keep whole) and is dropped again when the restore
// fails. Until the first swap, nothing live changes.

// partsSwapReason says why a whole-server restore of dbs runs in place;
// "" means it swaps.
func (e *Engine) partsSwapReason(ctx context.Context, dbs []DatabasePlan, pass *partsPass, opts RestoreOptions) (string, error) {
	if opts.InPlace {
		return "--in-place was asked", nil
	}
	swaps := 0
	for _, d := range dbs {
		if !d.Exists || len(d.Tables) == 0 {
			continue
		}
		swaps++
		if refs := pass.tableRefs[d.Source]; len(refs) > 0 {
			var names []string
			for db := range refs {
				names = append(names, db)
			}
			slices.Sort(names)
			return fmt.Sprintf("tables of %q in the file name %s (foreign keys): a swap would leave them on the old tables", d.Source, listOr(names)), nil
		}
		reason, _, err := e.swapReason(ctx, d.Target, d.Exists, d.Tables, opts)
		if reason != "" || err != nil {
			return reason, err
		}
	}
	if swaps == 0 {
		return "none of its databases is here with tables: there is nothing to swap with", nil
	}
	return "", nil
}

// setPartsModes writes the decision into the plan.
func setPartsModes(plan *RestorePlan, reason string) {
	plan.Mode, plan.ModeReason = ModeInPlace, reason
	if reason == "" {
		plan.Mode, plan.SafetyBackup = ModeSwap, false
	}
	for i := range plan.Parts.Databases {
		d := &plan.Parts.Databases[i]
		switch {
		case reason != "":
			d.Mode, d.ModeReason = ModeInPlace, reason
		case d.Exists && len(d.Tables) > 0:
			d.Mode, d.ModeReason, d.SafetyBackup = ModeSwap, "", false
		default:
			d.Mode, d.ModeReason = ModeInPlace, fmt.Sprintf("database %q is not here with tables: it is loaded directly (dropped again if the restore fails)", d.Target)
		}
	}
}

// swapPart is one database of a whole-server swap restore.
type swapPart struct {
	src, target string
	shadow      string // its copy; "" when it loads directly (it is new)
	created     bool   // a new database, made by this restore
}

// restorePartsSwap loads, checks and swaps; res gets what each database
// became. definers are those the file's objects name.
func (e *Engine) restorePartsSwap(ctx context.Context, name, path string, run partsRun, opts RestoreOptions, fn progress.Func, res *RestoreResult) (definers []string, err error) {
	pick := &sqlsplit.Pick{Allowed: run.pick.Allowed, Targets: map[string]string{}}
	finals := map[string]string{}
	var parts []swapPart
	for _, src := range sources(run.pick) {
		p := swapPart{src: src, target: run.pick.Targets[src]}
		exists, tables, err := e.targetTables(ctx, p.target)
		if err != nil {
			return nil, fmt.Errorf("%w; the databases were not touched", err)
		}
		pick.Targets[src] = p.target
		if exists && len(tables) > 0 {
			p.shadow = shadowName(p.target)
			pick.Targets[src], finals[p.shadow] = p.shadow, p.target
		} else {
			p.created = !exists
		}
		parts = append(parts, p)
	}
	unchanged := func(ps []swapPart) string {
		var live []string
		for _, p := range ps {
			if p.shadow != "" {
				live = append(live, p.target)
			}
		}
		return fmt.Sprintf("databases %s are unchanged (not touched): the restore loaded into separate copies", listOr(live))
	}
	var targets []string
	for _, p := range parts {
		targets = append(targets, p.target)
		if p.shadow != "" {
			if err := e.dropSchema(ctx, p.shadow); err != nil { // a copy left by a killed lifeboat
				return nil, fmt.Errorf("%w; %s", err, unchanged(parts))
			}
		}
	}
	res.Database = strings.Join(targets, ",")
	// The databases loaded directly have a journal while they load: if
	// lifeboat dies, status says they may be partial.
	var journals []*journalHold
	defer func() {
		for _, j := range journals {
			_ = j.done()
		}
	}()
	for _, p := range parts {
		if p.shadow == "" {
			j, err := e.beginJournal(p.target, name, "")
			if err != nil {
				return nil, fmt.Errorf("%w; %s", err, unchanged(parts))
			}
			journals = append(journals, j)
		}
	}
	failLoad := func(err error) error {
		msg := unchanged(parts) + e.dropCopies(ctx, parts, true)
		for _, p := range parts {
			if p.shadow == "" && !p.created {
				msg += fmt.Sprintf("; %q held no tables before and may now hold part of the file", p.target)
			}
		}
		return fmt.Errorf("%w; %s", err, msg)
	}
	all, err := e.serverDatabases(ctx)
	if err != nil {
		return nil, failLoad(err)
	}
	st, err := e.loadParts(ctx, path, run, pick, finals, all, opts, fn)
	res.Statements, res.Rows, res.LoadDataRows = st.Statements, st.Rows, st.LoadDataRows
	if err != nil {
		if lostConnection(err) {
			err = fmt.Errorf("%w: lost the connection to the server %s", err, e.ServerLabel())
		}
		return nil, failLoad(err)
	}
	stage(ctx, "loaded", 0)
	for _, p := range parts {
		if p.shadow == "" {
			continue
		}
		if err := e.checkShadow(ctx, p.shadow, partManifest(run.pp.manifest, p.src)); err != nil {
			return nil, failLoad(fmt.Errorf("the loaded copy of %q does not match the backup: %w", p.target, err))
		}
	}
	return st.Definers, e.swapParts(ctx, name, parts, res, unchanged)
}

// dropCopies drops the copies of parts, and with created the databases
// this restore made, and says so.
func (e *Engine) dropCopies(ctx context.Context, parts []swapPart, created bool) string {
	var left, made []string
	for _, p := range parts {
		drop := []string{p.shadow}
		if created && p.created {
			drop, made = append(drop, p.target), append(made, p.target)
		}
		for _, db := range drop {
			if db != "" && e.dropSchema(context.WithoutCancel(ctx), db) != nil {
				left = append(left, db)
			}
		}
	}
	if len(left) > 0 {
		return fmt.Sprintf("; %s could not be dropped: drop them by hand", listOr(left))
	}
	if len(made) > 0 {
		return fmt.Sprintf("; the copies were dropped, and the new database(s) %s it had begun", listOr(made))
	}
	return "; the copies were dropped"
}

// swapParts swaps each copy in, in file order. When one fails, the ones
// before it are new, it is what its error says, and the rest are old.
func (e *Engine) swapParts(ctx context.Context, name string, parts []swapPart, res *RestoreResult, unchanged func([]swapPart) string) error {
	var done []string
	for i := range parts {
		p := &parts[i]
		d := DatabaseRestored{Source: p.src, Target: p.target, Mode: ModeInPlace}
		if p.shadow != "" {
			sw, err := e.swapPart(ctx, name, p)
			d.Mode, d.Previous, d.SwapWindow = ModeSwap, sw.prev, sw.window
			if sw.note != "" && res.Note == "" {
				res.Note = sw.note
			}
			if err != nil {
				rest := slices.DeleteFunc(slices.Clone(parts[i:]), func(q swapPart) bool { return q.shadow == "" })
				msg := err.Error()
				if len(rest) > 0 {
					msg += "; " + unchanged(rest) + e.dropCopies(ctx, rest, false)
				}
				if len(done) > 0 {
					msg += fmt.Sprintf("; already swapped in, their previous tables kept: %s (lifeboat restore --undo --into DB puts one back)", listOr(done))
				}
				return fmt.Errorf("%s", msg)
			}
			done = append(done, p.target)
			res.SwapWindow += d.SwapWindow
			if pr := e.prunePrevious(ctx, p.target, max(e.Cfg.Backup.KeepPrevious, 1), nil, false); pr.Error != "" && res.Note == "" {
				res.Note = "older kept states could not be pruned: " + pr.Error
			}
		}
		res.Parts.Databases = append(res.Parts.Databases, d)
	}
	return nil
}

// swapPart swaps one copy in under a journal. When the window began, the
// error says what the database holds and p.shadow is cleared (it is no
// longer a copy to drop).
func (e *Engine) swapPart(ctx context.Context, name string, p *swapPart) (swapped, error) {
	journal, err := e.beginJournal(p.target, name, "")
	if err != nil {
		return swapped{}, err
	}
	sw, err := e.swapSchemas(context.WithoutCancel(ctx), p.target, p.shadow)
	var whole settled
	if err != nil && sw.started && !errors.As(err, &whole) {
		journal.fail(err)
	} else {
		_ = journal.done()
	}
	switch {
	case err != nil && sw.started:
		p.shadow = ""
		return sw, fmt.Errorf("database %q: %w", p.target, err)
	case err != nil && sw.prev != "":
		_ = e.dropSchema(context.WithoutCancel(ctx), sw.prev)
	}
	return sw, err
}

// loadParts runs the file once, each selected database into its copy (or
// its new database).
func (e *Engine) loadParts(ctx context.Context, path string, run partsRun, pick *sqlsplit.Pick, finals map[string]string, all []string, opts RestoreOptions, fn progress.Func) (restore.Result, error) {
	tr := progress.Start("restore", fn, 0)
	defer tr.Finish()
	zr, f, err := openDump(path, run.pp.stream, tr)
	if err != nil {
		return restore.Result{}, err
	}
	defer f.Close()
	defer zr.Close()
	others := slices.DeleteFunc(slices.Clone(all), func(db string) bool { _, copy := finals[db]; return copy })
	return restore.Run(ctx, restore.Options{Config: e.mysqlConfig(), Database: firstTarget(pick), Final: finals[firstTarget(pick)],
		Finals: finals, StripDefiners: opts.StripDefiners, Others: others, Pick: pick}, zr, tr)
}

// partManifest is the part of a whole-server manifest about database
// src, keyed by table as a one-database manifest is.
func partManifest(m *catalog.Manifest, src string) *catalog.Manifest {
	if m == nil || len(m.Databases) <= 1 {
		return m // a manifest of one database names its tables alone
	}
	out := *m
	out.Tables, out.Checksums, out.Objects = map[string]int64{}, nil, map[string][]string{}
	prefix := src + "."
	for t, n := range m.Tables {
		if rest, ok := strings.CutPrefix(t, prefix); ok {
			out.Tables[rest] = n
		}
	}
	for t, sum := range m.Checksums {
		if rest, ok := strings.CutPrefix(t, prefix); ok {
			if out.Checksums == nil {
				out.Checksums = map[string]uint64{}
			}
			out.Checksums[rest] = sum
		}
	}
	for kind, names := range m.Objects {
		for _, n := range names {
			if rest, ok := strings.CutPrefix(n, prefix); ok {
				out.Objects[kind] = append(out.Objects[kind], rest)
			}
		}
	}
	return &out
}
