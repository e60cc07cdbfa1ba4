package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The whole-server restore: every database of a file of several (or the
// one --database picks, renamed by --into), each with its own safety
// copy, in one pass over the file in file order (so views and routines
// that cross databases load as the stock client loads them), then the
// accounts with --accounts. Each database's part goes through a gate of
// its own: statements touch only the databases the plan names.

// planParts is PlanRestore for such a file; ok is false for a file of one
// database restored as before.
func (e *Engine) planParts(ctx context.Context, name, path string, opts RestoreOptions, plan RestorePlan) (RestorePlan, bool, error) {
	fail := func(err error) (RestorePlan, bool, error) {
		return plan, true, fmt.Errorf("restore %s: %w; the databases were not touched", name, err)
	}
	c, err := e.fileContents(ctx, name, path)
	if err != nil {
		return fail(err)
	}
	if !wholeServer(c, opts) {
		return plan, false, nil
	}
	pick, skipped, err := selection(name, c, opts)
	if err != nil {
		return fail(err)
	}
	pass, pp, err := e.inspectParts(ctx, name, path, pick, nil)
	if err != nil {
		return fail(err)
	}
	if pp.manifest == nil {
		plan.Warnings = append(plan.Warnings, "no trusted manifest: a foreign or incomplete file; it was read and checked part by part")
	}
	if !pp.report.Completed {
		plan.Unterminated = true
		plan.Warnings = append(plan.Warnings, "this file "+unterminatedNote+"; go on only if you know it is whole")
	}
	parts := &PartsPlan{Skipped: skipped, AccountsInFile: c.Accounts}
	var targets []string
	for _, src := range pick.Allowed {
		t, ok := pick.Targets[src]
		if !ok {
			parts.Skipped = append(parts.Skipped, src)
			continue
		}
		exists, tables, err := e.targetTables(ctx, t)
		if err != nil {
			return fail(err)
		}
		dp := DatabasePlan{Source: src, Target: t, Exists: exists, Tables: tables,
			SafetyBackup: exists && len(tables) > 0 && !opts.NoSafetyBackup, References: pass.references(src)}
		if len(dp.References) > 0 && opts.Database != "" {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("views or routines of %q name %s: those names are kept as written (not moved into %q); they work once those databases exist on this server",
				src, listOr(dp.References), t))
		}
		plan.Exists = plan.Exists || exists
		plan.SafetyBackup = plan.SafetyBackup || dp.SafetyBackup
		parts.Databases = append(parts.Databases, dp)
		targets = append(targets, t)
	}
	if opts.Accounts {
		stmts, err := e.readAccounts(ctx, name, path, pp.stream)
		if err != nil {
			return fail(err)
		}
		existing, err := e.serverAccounts(ctx)
		if err != nil {
			return fail(err)
		}
		parts.Accounts = planAccounts(stmts, existing)
		here := 0
		for _, a := range parts.Accounts {
			if a.Exists {
				here++
			}
		}
		if here > 0 { // the plan names them (Accounts[].Exists)
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("%d of the file's accounts exist on this server: they are left as they are (not replaced, their grants from the file are not applied)", here))
		}
		for _, a := range parts.Accounts {
			if len(a.Global) > 0 {
				plan.Warnings = append(plan.Warnings, fmt.Sprintf("account %s gets server-wide privileges from the file: %s", a.Name, strings.Join(a.Global, "; ")))
			}
		}
	} else if c.Accounts > 0 {
		plan.Warnings = append(plan.Warnings, "the file holds accounts; they are not restored without --accounts")
	}
	if opts.Accounts && c.Accounts == 0 && slices.Contains(skipped, "mysql") {
		plan.Warnings = append(plan.Warnings, "the file holds no account statements, only the rows of its mysql schema, which lifeboat never loads: no account is restored (take the dump with mariadb-dump --system=users for them)")
	}
	plan.Database, plan.Parts = strings.Join(targets, ","), parts
	reason, err := e.partsSwapReason(ctx, parts.Databases, pass, opts)
	if err != nil {
		return fail(err)
	}
	setPartsModes(&plan, reason)
	if plan.SourceDatabase = ""; len(targets) == 1 {
		plan.SourceDatabase = sources(pick)[0]
	}
	plan.Warnings = append(plan.Warnings, e.Interrupted()...)
	return plan, true, nil
}

// inspectParts is the pre-pass over the selected parts.
func (e *Engine) inspectParts(ctx context.Context, name, path string, pick *sqlsplit.Pick, fn progress.Func) (*partsPass, prepass, error) {
	all, err := e.serverDatabases(ctx)
	if err != nil {
		return nil, prepass{}, err
	}
	pass := &partsPass{pick: pick, refs: map[string]map[string]bool{}}
	pp, err := e.inspectBackup(withParts(ctx, pass), name, path, firstTarget(pick), all, fn)
	return pass, pp, err
}

// firstTarget is the target of the file's first selected database.
func firstTarget(pick *sqlsplit.Pick) string {
	if s := sources(pick); len(s) > 0 {
		return pick.Targets[s[0]]
	}
	return ""
}

// partsRun is what the checks before a whole-server restore found, and
// the server locks of its other databases (release them when done).
type partsRun struct {
	pick     *sqlsplit.Pick
	pass     *partsPass
	pp       prepass
	accounts []accountStmt
	release  func()
}

// prepareParts is everything before a whole-server restore changes
// anything: the selection, the pre-pass part by part, the decisions, the
// accounts read and checked, and the other databases' locks.
func (e *Engine) prepareParts(ctx context.Context, name, path string, c sqlsplit.Contents, opts RestoreOptions, fn progress.Func) (partsRun, error) {
	var run partsRun
	pick, _, err := selection(name, c, opts)
	if err != nil {
		return run, err
	}
	var more []string
	for _, src := range sources(pick) {
		t := pick.Targets[src]
		if err := targetProblem(t); err != nil {
			return run, err
		}
		if t != e.restoreTarget(opts) { // the action holds that one
			more = append(more, t)
		}
	}
	run.pick = pick
	if run.pass, run.pp, err = e.inspectParts(ctx, name, path, pick, fn); err != nil {
		return run, err
	}
	if err := e.partsDecisions(ctx, name, pick, run.pp, opts); err != nil {
		return run, err
	}
	if opts.Accounts {
		if run.accounts, err = e.readAccounts(ctx, name, path, run.pp.stream); err != nil {
			return run, err
		}
	}
	run.release, err = e.lockMoreDatabases(ctx, more, restoreLockWait)
	return run, err
}

// restoreParts is Restore for such a file, under the restore's locks.
func (e *Engine) restoreParts(ctx context.Context, name, path string, c sqlsplit.Contents, opts RestoreOptions, fn progress.Func) (RestoreResult, error) {
	res := RestoreResult{Filename: name, Path: path, Parts: &PartsResult{}, Mode: ModeInPlace}
	fail := func(err error) (RestoreResult, error) { return res, fmt.Errorf("restore %s: %w", name, err) }
	untouched := func(err error) (RestoreResult, error) {
		return fail(fmt.Errorf("%w; the databases were not touched", err))
	}
	run, err := e.prepareParts(ctx, name, path, c, opts, fn)
	if err != nil {
		return untouched(err)
	}
	defer run.release()
	pick, pass, pp := run.pick, run.pass, run.pp
	if res.ModeReason, err = e.partsModeReason(ctx, run, opts); err != nil {
		return untouched(err)
	}
	if res.ModeReason == "" {
		res.Mode = ModeSwap
		definers, err := e.restorePartsSwap(ctx, name, path, run, opts, fn, &res)
		if err != nil {
			return fail(err)
		}
		return e.finishParts(ctx, run, opts, res, definers)
	}
	if res.Parts.Databases, err = e.safetyParts(ctx, pick, opts); err != nil {
		return fail(err)
	}
	journals, err := e.beginJournals(name, res.Parts.Databases)
	if err != nil {
		return fail(err)
	}
	var targets []string
	for _, d := range res.Parts.Databases {
		targets = append(targets, d.Target)
	}
	res.Database = strings.Join(targets, ",")
	failAll := func(err error) (RestoreResult, error) {
		for _, j := range journals {
			j.fail(err)
		}
		return fail(fmt.Errorf("%w; %s", err, partialState(res.Parts.Databases)))
	}
	for _, d := range res.Parts.Databases {
		if exists, _, err := e.targetTables(ctx, d.Target); err != nil {
			return failAll(err)
		} else if exists {
			if err := e.dropDatabase(ctx, d.Target); err != nil {
				return failAll(err)
			}
		}
	}
	all, err := e.serverDatabases(ctx)
	if err != nil {
		return failAll(err)
	}
	st, err := e.load(withParts(ctx, pass), path, pp.stream, firstTarget(pick), all, opts, fn)
	res.Statements, res.Rows, res.LoadDataRows = st.Statements, st.Rows, st.LoadDataRows
	if err != nil {
		return failAll(err)
	}
	for _, j := range journals {
		if err := j.done(); err != nil {
			return fail(fmt.Errorf("the restore finished, but a journal could not be removed: %w", err))
		}
	}
	return e.finishParts(ctx, run, opts, res, st.Definers)
}

// partsModeReason is partsSwapReason for the targets as they are now.
func (e *Engine) partsModeReason(ctx context.Context, run partsRun, opts RestoreOptions) (string, error) {
	var dbs []DatabasePlan
	for _, src := range sources(run.pick) {
		d := DatabasePlan{Source: src, Target: run.pick.Targets[src]}
		var err error
		if d.Exists, d.Tables, err = e.targetTables(ctx, d.Target); err != nil {
			return "", err
		}
		dbs = append(dbs, d)
	}
	return e.partsSwapReason(ctx, dbs, run.pass, opts)
}

// finishParts restores the accounts once the databases are in, and fills
// in the result.
func (e *Engine) finishParts(ctx context.Context, run partsRun, opts RestoreOptions, res RestoreResult, definers []string) (RestoreResult, error) {
	if opts.Accounts {
		if err := e.restoreAccounts(ctx, run.accounts, run.pick, res.Parts); err != nil {
			return res, fmt.Errorf("restore %s: %w", res.Filename, err)
		}
	}
	if len(definers) > 0 && !opts.StripDefiners {
		res.MissingDefiners = e.missingDefiners(ctx, definers)
	}
	for i, d := range res.Parts.Databases {
		if d.Mode == "" {
			res.Parts.Databases[i].Mode = ModeInPlace
		}
	}
	if len(res.Parts.Databases) == 1 {
		res.SafetyBackup, res.Previous = res.Parts.Databases[0].SafetyBackup, res.Parts.Databases[0].Previous
	}
	return res, nil
}

// partsDecisions are restoreDecisions for a file of several databases:
// completion, statement size, and per target the definers and the
// account's privileges.
func (e *Engine) partsDecisions(ctx context.Context, name string, pick *sqlsplit.Pick, pp prepass, opts RestoreOptions) error {
	if err := completionProblem(name, pp, opts.AcceptUnterminated); err != nil {
		return err
	}
	maxPacket, err := e.serverMaxPacket(ctx)
	if err != nil {
		return err
	}
	if err := packetProblem(name, pp.report, maxPacket); err != nil {
		return err
	}
	for _, src := range sources(pick) {
		t := pick.Targets[src]
		if !opts.StripDefiners {
			if err := e.definerProblem(ctx, name, t, pp.report); err != nil {
				return err
			}
		}
		if err := e.checkRestorePrivileges(ctx, t); err != nil {
			return err
		}
	}
	return e.binlogProblem(ctx, name, firstTarget(pick), pp.report)
}

// partsDetail is the audit line's detail of a whole-server restore: the
// databases, their safety backups, the accounts created (names only).
func partsDetail(res RestoreResult) string {
	var targets, safety, kept []string
	for _, d := range res.Parts.Databases {
		targets = append(targets, d.Target)
		if d.SafetyBackup != "" {
			safety = append(safety, d.SafetyBackup)
		}
		if d.Previous != "" {
			kept = append(kept, d.Previous)
		}
	}
	s := "into " + strings.Join(targets, ",")
	if len(safety) > 0 {
		s += "; safety backups " + strings.Join(safety, ", ")
	}
	if len(kept) > 0 {
		s += "; swapped in, the old tables kept in " + strings.Join(kept, ", ")
	}
	if len(res.Parts.Created) > 0 {
		s += fmt.Sprintf("; %d accounts created", len(res.Parts.Created))
	}
	return s
}

// safetyParts takes a safety backup of every target that holds tables
// (unless --no-safety-backup), before anything changes.
func (e *Engine) safetyParts(ctx context.Context, pick *sqlsplit.Pick, opts RestoreOptions) ([]DatabaseRestored, error) {
	var out []DatabaseRestored
	for _, src := range sources(pick) {
		d := DatabaseRestored{Source: src, Target: pick.Targets[src]}
		exists, tables, err := e.targetTables(ctx, d.Target)
		if err != nil {
			return out, err
		}
		if exists && len(tables) > 0 && !opts.NoSafetyBackup {
			sb, err := e.safetyBackup(ctx, d.Target)
			if err != nil {
				return out, fmt.Errorf("safety backup of %q failed, nothing was restored: %w", d.Target, err)
			}
			d.SafetyBackup = sb.Filename
		}
		out = append(out, d)
	}
	return out, nil
}

// beginJournals starts a journal per target; when one cannot start, the
// ones begun are removed again (nothing has changed yet).
func (e *Engine) beginJournals(name string, parts []DatabaseRestored) ([]*journalHold, error) {
	var out []*journalHold
	for _, d := range parts {
		j, err := e.beginJournal(d.Target, name, d.SafetyBackup)
		if err != nil {
			for _, b := range out {
				b.done()
			}
			return nil, fmt.Errorf("%w; nothing was restored", err)
		}
		out = append(out, j)
	}
	return out, nil
}

// partialState says what a failed whole-server restore left and how to
// bring each database back.
func partialState(parts []DatabaseRestored) string {
	var targets, back []string
	for _, d := range parts {
		targets = append(targets, d.Target)
		if d.SafetyBackup != "" {
			back = append(back, fmt.Sprintf("lifeboat restore %s --into %s", d.SafetyBackup, d.Target))
		}
	}
	state := fmt.Sprintf("databases %s may be partially restored", listOr(targets))
	if len(back) > 0 {
		state += "; bring them back with: " + strings.Join(back, "; ")
	}
	return state
}
