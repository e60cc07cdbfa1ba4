package verify

import (
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// wholeServerPick is how a backup of several databases (its manifest says
// which) is read: every database's part through a gate of its own, each
// restored under its own name; definitions may name the others. nil for a
// backup of one database or a file without a manifest.
func wholeServerPick(m *catalog.Manifest) *sqlsplit.Pick {
	if m == nil || len(m.Databases) < 2 {
		return nil
	}
	p := &sqlsplit.Pick{Targets: map[string]string{}, Allowed: append([]string(nil), m.Databases...)}
	for _, db := range m.Databases {
		p.Targets[db] = db
	}
	return p
}
