package verify

import (
	"slices"
	"strings"

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

// partDatabases are the databases a verify --restore loads each under its
// own name: the manifest's, or a foreign file's application databases
// (its system schemas left alone, as restore leaves them); nil for a file
// of one database.
func partDatabases(opts RestoreOptions) []string {
	if p := wholeServerPick(opts.Manifest); p != nil {
		return p.Allowed
	}
	if opts.Manifest != nil {
		return nil
	}
	if p, _ := foreignPick(opts.Databases); p != nil {
		return p.Allowed
	}
	return nil
}

// pickOf reads every one of dbs under its own name; nil for nil.
func pickOf(dbs []string) *sqlsplit.Pick {
	if dbs == nil {
		return nil
	}
	p := &sqlsplit.Pick{Targets: map[string]string{}, Allowed: append([]string(nil), dbs...)}
	for _, db := range dbs {
		p.Targets[db] = db
	}
	return p
}

// keepOnly drops the tables ("db.table") of databases not in dbs: the
// parts of a foreign file that were not restored (its mysql schema).
func (s *streamDigest) keepOnly(dbs []string) {
	if dbs == nil || s == nil {
		return
	}
	for key := range s.Tables {
		db, _, _ := strings.Cut(key, ".")
		if !slices.Contains(dbs, db) {
			delete(s.Tables, key)
		}
	}
}
