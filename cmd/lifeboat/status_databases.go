package main

import (
	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// databaseStatusJSON is one entry of status --json's "databases": a
// database of this config and the last backup that holds it (issue 17).
type databaseStatusJSON struct {
	Name       string     `json:"name"`
	LastBackup *briefJSON `json:"last_backup"` // null: no backup holds it
	Tables     int        `json:"tables"`
	Rows       int64      `json:"rows"`
	Size       int64      `json:"size"` // its uncompressed share of that backup; 0 when unknown
}

func (e *env) databasesOf(list []engine.DatabaseStatus) []databaseStatusJSON {
	out := []databaseStatusJSON{}
	for _, d := range list {
		j := databaseStatusJSON{Name: d.Name, Tables: d.Tables, Rows: d.Rows, Size: d.Bytes}
		if d.LastBackup != nil {
			j.LastBackup = &briefJSON{Filename: d.LastBackup.Filename, CreatedAt: e.seedTime(d.LastBackup.CreatedAt)}
		}
		out = append(out, j)
	}
	return out
}

// printDatabases is status's per-database lines for a config of several.
func (e *env) printDatabases(list []engine.DatabaseStatus) {
	if !e.eng.Cfg.Database.Several() {
		return
	}
	for _, d := range list {
		if d.LastBackup == nil {
			safef(e.stdout, "database   %s  ✗ in no backup yet\n", d.Name)
			continue
		}
		safef(e.stdout, "database   %s  last: %s (%s)  %d tables, %s rows\n", d.Name, d.LastBackup.Filename,
			humanize.Time(d.LastBackup.CreatedAt), d.Tables, humanize.Comma(d.Rows))
	}
}
