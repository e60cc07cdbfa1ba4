package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// Prunable reports whether prune may count and remove e: only whole
// lifeboat backups (complete or verified). Foreign, incomplete (perhaps
// still being written) and corrupt files are left for a person to judge.
func Prunable(e Entry) bool {
	return e.Ours && (e.State == StateComplete || e.State == StateVerified)
}

// Scope names the databases a backup holds ("app", or "app,crm"), so that
// configs sharing one backup.dir keep and prune only their own backups.
// It is "" for files without a manifest.
func (e Entry) Scope() string {
	if e.Manifest == nil {
		return ""
	}
	if e.Manifest.Selection != "" {
		return e.Manifest.Selection
	}
	return ScopeOf(e.Manifest.Databases)
}

// ScopeOf is the scope of a backup of dbs.
func ScopeOf(dbs []string) string {
	s := slices.Clone(dbs)
	slices.Sort(s)
	return strings.Join(s, ",")
}

// Safety reports whether e is a safety backup, taken by a restore of the
// database it replaced. Safety backups have a retention of their own.
func (e Entry) Safety() bool { return e.Manifest != nil && e.Manifest.Reason == "safety" }

// PrunePolicy says which backups prune looks at and which it must keep:
// a backup stays when any rule keeps it (see Retention).
type PrunePolicy struct {
	Scope string // only backups of these databases (see Entry.Scope)
	Keep  int    // newest ordinary backups kept; safety backups keep as many of their own
	// Calendar rules (GFS), on top of Keep: the newest backup of each of
	// the last Daily days, Weekly ISO weeks, Monthly months and Yearly
	// years that have a backup, with buckets in Location (nil: Local).
	Daily, Weekly, Monthly, Yearly int
	Location                       *time.Location
	Pinned                         map[string]bool // never removed (named by a restore journal)
}

// PlanPrune picks, from a listing, the backups of one scope that no rule
// keeps: not among the newest Keep ordinary or Keep safety backups, nor
// kept by a calendar rule, nor the newest verified backup, a pinned one,
// or either side of a backup that holds less than half the rows of the
// one before (the good copy before a database shrank). Newest first.
func PlanPrune(entries []Entry, p PrunePolicy) []Entry {
	var drop []Entry
	for _, v := range Retention(entries, p) {
		if !v.Kept() {
			drop = append(drop, v.Entry)
		}
	}
	return drop
}

func kindOf(entries []Entry, safety bool) []Entry {
	var out []Entry
	for _, e := range entries {
		if e.Safety() == safety {
			out = append(out, e)
		}
	}
	return out
}

// Shrank reports whether backup next holds less than half the rows of the
// backup before it: the sign of a database emptied by accident.
func Shrank(next, prev Entry) bool {
	if next.Manifest == nil || prev.Manifest == nil {
		return false
	}
	return prev.Manifest.Rows > 0 && next.Manifest.Rows*2 < prev.Manifest.Rows
}

// Remove deletes backup name and its manifest from dir. The backup goes
// first: a crash in between leaves an orphan manifest, which list ignores,
// never a backup that looks incomplete. Callers hold the directory lock.
func Remove(dir, name string) error {
	p, err := Resolve(dir, name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil {
		return fmt.Errorf("delete %s: %w", name, err)
	}
	mp := filepath.Join(dir, ManifestName(name))
	if st, err := os.Lstat(mp); err == nil && st.Mode().IsRegular() {
		if err := os.Remove(mp); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("delete manifest of %s: %w", name, err)
		}
	}
	return safefile.SyncDir(dir)
}
