package main

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// The whole-server restore on the command line (issue 17): the plan lists
// every database and account, --json adds them to the replies.

// partsPlanJSON is the "parts" member of restore --dry-run --json for a
// file of several databases (or --database, --accounts).
type partsPlanJSON struct {
	Databases      []databasePlanJSON `json:"databases"`
	Skipped        []string           `json:"skipped"`
	Accounts       []accountPlanJSON  `json:"accounts"` // [] without --accounts
	AccountsInFile int64              `json:"accounts_in_file"`
}

type databasePlanJSON struct {
	Source       string   `json:"source"`
	Target       string   `json:"target"`
	Exists       bool     `json:"exists"`
	Tables       []string `json:"tables"`
	SafetyBackup bool     `json:"safety_backup"`
	References   []string `json:"references"` // other databases its definitions name, kept as written
	Mode         string   `json:"mode"`       // "swap" (loaded into a copy, swapped in) or "in-place"
	ModeReason   string   `json:"mode_reason"`
}

type accountPlanJSON struct {
	Name             string   `json:"name"` // 'user'@'host' or 'role'; never an auth string
	Exists           bool     `json:"exists"`
	GlobalPrivileges []string `json:"global_privileges"` // "RELOAD, PROCESS ON *.*": server-wide grants restored with it
}

// partsResultJSON is the "parts" member of restore --json.
type partsResultJSON struct {
	Databases []databaseRestoredJSON `json:"databases"`
	Created   []string               `json:"accounts_created"`
	Existing  []string               `json:"accounts_existing"`
	Skipped   []string               `json:"grants_skipped"`
}

type databaseRestoredJSON struct {
	Source       string `json:"source"`
	Target       string `json:"target"`
	SafetyBackup string `json:"safety_backup"`
	Mode         string `json:"mode"`           // "swap" or "in-place"
	Previous     string `json:"previous"`       // where a swap kept the old tables ("" in place)
	SwapWindowMs int64  `json:"swap_window_ms"` // 0 in place
}

func partsPlanReply(p *engine.PartsPlan) *partsPlanJSON {
	if p == nil {
		return nil
	}
	out := &partsPlanJSON{Databases: []databasePlanJSON{}, Skipped: orEmpty(p.Skipped), Accounts: []accountPlanJSON{}, AccountsInFile: p.AccountsInFile}
	for _, d := range p.Databases {
		out.Databases = append(out.Databases, databasePlanJSON{Source: d.Source, Target: d.Target, Exists: d.Exists,
			Tables: orEmpty(d.Tables), SafetyBackup: d.SafetyBackup, References: orEmpty(d.References), Mode: d.Mode, ModeReason: d.ModeReason})
	}
	for _, a := range p.Accounts {
		out.Accounts = append(out.Accounts, accountPlanJSON{Name: a.Name, Exists: a.Exists, GlobalPrivileges: orEmpty(a.Global)})
	}
	return out
}

func partsResultReply(p *engine.PartsResult) *partsResultJSON {
	if p == nil {
		return nil
	}
	out := &partsResultJSON{Databases: []databaseRestoredJSON{}, Created: orEmpty(p.Created), Existing: orEmpty(p.Existing), Skipped: orEmpty(p.SkippedGrants)}
	for _, d := range p.Databases {
		out.Databases = append(out.Databases, databaseRestoredJSON{Source: d.Source, Target: d.Target, SafetyBackup: d.SafetyBackup,
			Mode: d.Mode, Previous: d.Previous, SwapWindowMs: d.SwapWindow.Milliseconds()})
	}
	return out
}

// showPartsPlan prints the plan of a whole-server restore to w.
func showPartsPlan(say func(string, ...any), p engine.RestorePlan) {
	say("Restore %s: %d database(s).", p.Filename, len(p.Parts.Databases))
	for _, d := range p.Parts.Databases {
		line := fmt.Sprintf("  %s", d.Target)
		if d.Target != d.Source {
			line += fmt.Sprintf(" (from %s)", d.Source)
		}
		switch {
		case d.Exists && d.Mode == engine.ModeSwap:
			line += fmt.Sprintf(": exists, its %d table(s) replaced by swap (loaded into a copy, the old tables kept for restore --undo --into %s)", len(d.Tables), d.Target)
		case d.Exists && d.SafetyBackup:
			line += fmt.Sprintf(": exists, its %d table(s) replaced, safety backup first", len(d.Tables))
		case d.Exists:
			line += fmt.Sprintf(": exists, its %d table(s) replaced, NO safety backup", len(d.Tables))
		default:
			line += ": created from the backup"
		}
		if len(d.References) > 0 {
			line += "; its definitions name " + strings.Join(d.References, ", ") + " (kept as written)"
		}
		say("%s", line)
	}
	if len(p.Parts.Skipped) > 0 {
		say("Left alone: %s.", strings.Join(p.Parts.Skipped, ", "))
	}
	switch {
	case p.Mode == engine.ModeSwap:
		say("Mode: swap: each database loads into its own copy while they all keep serving, then each swaps in with its own RENAME TABLE, one after the other.")
	case p.Mode != "":
		say("Mode: %s.", modeText(p.Mode, p.ModeReason))
	}
	if p.Parts.Accounts != nil {
		var create, exist []string
		for _, a := range p.Parts.Accounts {
			if a.Exists {
				exist = append(exist, a.Name)
			} else {
				create = append(create, a.Name)
			}
		}
		if len(create) > 0 {
			say("Accounts created: %s.", strings.Join(create, ", "))
		}
		if len(exist) > 0 {
			say("Accounts already here, left as they are: %s.", strings.Join(exist, ", "))
		}
	}
}

// sayPartsResult prints what a whole-server restore did.
func sayPartsResult(e *env, res engine.RestoreResult) {
	for _, d := range res.Parts.Databases {
		if d.SafetyBackup != "" {
			e.say("safety backup of %s as it was: %s", d.Target, d.SafetyBackup)
		}
		if d.Previous != "" {
			e.say("%s swapped in %d ms; its previous tables are kept in %s (lifeboat restore --undo --into %s puts them back)", d.Target, d.SwapWindow.Milliseconds(), d.Previous, d.Target)
		}
	}
	if len(res.Parts.Created) > 0 {
		e.say("accounts created: %s", strings.Join(res.Parts.Created, ", "))
	}
	if len(res.Parts.Existing) > 0 {
		e.say("accounts already here, left as they were: %s", strings.Join(res.Parts.Existing, ", "))
	}
	for _, s := range res.Parts.SkippedGrants {
		e.say("not restored: %s", s)
	}
}
