package engine

import (
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// scope is the databases this config backs up, as catalog.Entry.Scope
// names them: list, status and prune count only backups of this scope, so
// that configs sharing one backup.dir never prune each other's backups.
func (e *Engine) scope() string {
	if e.Cfg.Database.All() {
		return config.AllDatabases
	}
	return catalog.ScopeOf(e.Cfg.Database.Selection())
}

// previousComplete is the newest complete ordinary backup of this scope,
// the one a new backup is compared with for a drop in rows.
func previousComplete(entries []catalog.Entry, scope string) (catalog.Entry, bool) {
	for _, en := range entries {
		if catalog.Prunable(en) && !en.Safety() && en.Scope() == scope {
			return en, true
		}
	}
	return catalog.Entry{}, false
}

// ManyDatabases reports whether a listing holds backups of more than one
// database, when list and the screen add a DATABASE column.
func ManyDatabases(list []BackupInfo) bool {
	seen := ""
	for _, b := range list {
		if b.Databases == nil {
			continue
		}
		s := catalog.ScopeOf(b.Databases)
		if seen != "" && s != seen {
			return true
		}
		seen = s
	}
	return false
}
