package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// Prunable reports whether prune may count and remove e: only whole
// lifeboat backups (complete or verified). Foreign, incomplete (perhaps
// still being written) and corrupt files are left for a person to judge.
func Prunable(e Entry) bool {
	return e.Ours && (e.State == StateComplete || e.State == StateVerified)
}

// PlanPrune picks, from a newest-first listing, the backups to remove so
// that the newest keep prunable ones stay. The newest verified backup is
// never picked, even when it is older than the kept ones.
func PlanPrune(entries []Entry, keep int) []Entry {
	if keep < 1 {
		keep = 1
	}
	newestVerified := ""
	for _, e := range entries {
		if Prunable(e) && e.State == StateVerified {
			newestVerified = e.Name
			break
		}
	}
	var drop []Entry
	kept := 0
	for _, e := range entries {
		if !Prunable(e) {
			continue
		}
		if kept < keep {
			kept++
			continue
		}
		if e.Name == newestVerified {
			continue
		}
		drop = append(drop, e)
	}
	return drop
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
