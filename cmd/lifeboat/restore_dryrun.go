package main

import (
	"context"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// restoreDryRun is `lifeboat restore NAME --dry-run`: the plan (what is
// replaced, dropped and created, the safety backup, the warnings), and
// nothing changes: no safety backup, no lock, no audit line.
func restoreDryRun(ctx context.Context, e *env, name string, opts engine.RestoreOptions) error {
	p, err := e.eng.PlanRestore(ctx, name, opts)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(restorePlanReply{Success: true, DryRun: true,
			Message: "Dry run: nothing was changed",
			Plan: restorePlanJSON{Filename: p.Filename, Database: p.Database, SourceDatabase: p.SourceDatabase,
				Exists: p.Exists, Replaced: orEmpty(p.Replaced), Dropped: orEmpty(p.Dropped), Created: orEmpty(p.Created),
				Views: orEmpty(p.Views), SafetyBackup: p.SafetyBackup, Unterminated: p.Unterminated, Warnings: orEmpty(p.Warnings),
				Mode: p.Mode, ModeReason: p.ModeReason, Parts: partsPlanReply(p.Parts)}})
	}
	if p.Parts != nil {
		showPartsPlan(func(f string, a ...any) { safef(e.stdout, f+"\n", a...) }, p)
		for _, w := range p.Warnings {
			safef(e.stdout, "warning: %s\n", w)
		}
		return nil
	}
	safef(e.stdout, "restore %s into database %s (dry run: nothing changes)\n", p.Filename, p.Database)
	planLine(e, "replaced", p.Replaced, "tables")
	planLine(e, "dropped", p.Dropped, "tables and views not in the backup")
	planLine(e, "created", p.Created, "tables")
	planLine(e, "views", p.Views, "from the backup")
	safef(e.stdout, "mode:     %s\n", modeText(p.Mode, p.ModeReason))
	switch {
	case p.Mode == engine.ModeSwap:
		safef(e.stdout, "safety backup: not needed, the swap keeps the current tables in %s%s<time>\n", p.Database, "__lifeboat_prev_")
	case p.SafetyBackup:
		safef(e.stdout, "safety backup: yes, of %s as it is now, into %s\n", p.Database, e.eng.Cfg.Backup.Dir)
	case !p.Exists || len(p.Tables) == 0:
		safef(e.stdout, "safety backup: none, %s holds nothing to back up\n", p.Database)
	default:
		safef(e.stdout, "safety backup: NONE (--no-safety-backup)\n")
	}
	for _, w := range p.Warnings {
		safef(e.stdout, "warning: %s\n", w)
	}
	return nil
}

func planLine(e *env, what string, names []string, unit string) {
	if len(names) == 0 {
		return
	}
	safef(e.stdout, "%-9s %d %s: %s\n", what+":", len(names), unit, strings.Join(names, ", "))
}

// modeText says how a restore runs and, in place, why.
func modeText(mode, reason string) string {
	if mode == engine.ModeSwap {
		return "swap: the backup loads into a separate copy while the database keeps serving, then one atomic RENAME TABLE swaps it in"
	}
	return "in place (drop, then load): " + reason
}
