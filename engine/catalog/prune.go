package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

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

// PrunePolicy says which backups prune looks at and which it must keep.
type PrunePolicy struct {
	Scope  string          // only backups of these databases (see Entry.Scope)
	Keep   int             // newest ordinary backups kept; safety backups keep as many of their own
	Pinned map[string]bool // never removed (named by a restore journal)
}

// PlanPrune picks, from a newest-first listing, the backups of one scope
// to remove so that the newest Keep ordinary and the newest Keep safety
// backups stay. It never picks the newest verified backup, a pinned one,
// or the last backup before one that holds less than half its rows (the
// good copy before a database shrank).
func PlanPrune(entries []Entry, p PrunePolicy) []Entry {
	keep := max(p.Keep, 1)
	var mine []Entry
	for _, e := range entries {
		if Prunable(e) && e.Scope() == p.Scope {
			mine = append(mine, e)
		}
	}
	protected := copySet(p.Pinned)
	for _, safety := range []bool{false, true} {
		kind := kindOf(mine, safety)
		for _, e := range kind {
			if e.State == StateVerified {
				protected[e.Name] = true
				break
			}
		}
		for _, name := range beforeShrink(kind) {
			protected[name] = true
		}
	}
	var drop []Entry
	for _, safety := range []bool{false, true} {
		for i, e := range kindOf(mine, safety) {
			if i >= keep && !protected[e.Name] {
				drop = append(drop, e)
			}
		}
	}
	return drop
}

func copySet(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m)+2)
	for k, v := range m {
		out[k] = v
	}
	return out
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

// beforeShrink names, in a newest-first list of one scope, each backup
// whose next newer backup holds less than half its rows.
func beforeShrink(newestFirst []Entry) []string {
	var out []string
	for i := 1; i < len(newestFirst); i++ {
		if Shrank(newestFirst[i-1], newestFirst[i]) {
			out = append(out, newestFirst[i].Name)
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
