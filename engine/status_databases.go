package engine

import (
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// DatabaseStatus is one database of this config in status: the newest
// complete backup (of any scope in backup.dir, not a safety backup) that
// holds it, and what that backup holds of it.
type DatabaseStatus struct {
	Name       string
	LastBackup *BackupInfo // nil: no backup holds it
	Tables     int
	Rows       int64
	Bytes      int64 // its share of the uncompressed stream (0 when the manifest does not say)
}

// databaseStatus lists the config's databases (for ["*"]: those its own
// backups held) with the last backup holding each; entries are newest first.
func (e *Engine) databaseStatus(entries []catalog.Entry) []DatabaseStatus {
	names := e.Cfg.Database.Selection()
	if e.Cfg.Database.All() {
		names = nil
		for _, en := range entries {
			if catalog.Prunable(en) && en.Scope() == e.scope() {
				for _, db := range en.Manifest.Databases {
					if !slices.Contains(names, db) {
						names = append(names, db)
					}
				}
			}
		}
		slices.Sort(names)
	}
	var out []DatabaseStatus
	for _, db := range names {
		ds := DatabaseStatus{Name: db}
		for _, en := range entries {
			if !catalog.Prunable(en) || en.Safety() || !slices.Contains(en.Manifest.Databases, db) {
				continue
			}
			bi := infoOf(en, e.Loc)
			ds.LastBackup = &bi
			ds.Tables, ds.Rows = tablesOf(en.Manifest, db)
			ds.Bytes = en.Manifest.DatabaseBytes[db]
			break
		}
		out = append(out, ds)
	}
	return out
}

// tablesOf counts db's tables and rows in a manifest: "db.table" keys in a
// backup of several databases, plain ones in a backup of db alone.
func tablesOf(m *catalog.Manifest, db string) (int, int64) {
	if len(m.Databases) == 1 && m.Databases[0] == db {
		return len(m.Tables), m.Rows
	}
	n, rows := 0, int64(0)
	for k, r := range m.Tables {
		if strings.HasPrefix(k, db+".") {
			n++
			rows += r
		}
	}
	return n, rows
}
