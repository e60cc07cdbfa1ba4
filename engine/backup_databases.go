package engine

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/dump"
)

// dumpOptions say what a backup reads: the one database of a safety
// backup (opts.Database), else database.name, else database.names with
// the accounts when database.accounts is set.
func (e *Engine) dumpOptions(opts BackupOptions) dump.Options {
	d := dump.Options{MySQL: e.mysqlConfig(), ToolVersion: Version}
	switch {
	case opts.Database != "":
		d.Database = opts.Database
	case len(e.Cfg.Database.Names) > 0:
		d.Databases = e.Cfg.Database.Selection()
		d.Accounts = e.Cfg.Database.Accounts
	default:
		d.Database = e.Cfg.Database.Primary()
		d.Accounts = e.Cfg.Database.Accounts
	}
	return d
}

// backupLabel names what a backup of this config covers, for the audit
// line and the screen's header: "app", "app,crm" or "*".
func (e *Engine) backupLabel() string {
	if e.Cfg.Database.All() {
		return config.AllDatabases
	}
	return strings.Join(e.Cfg.Database.Selection(), ",")
}

// DatabaseLabel is what the screen's header shows before "@ server": the
// database name, or "3 databases" for a config of several (for ["*"], as
// many as its newest backup holds; "all databases" before the first).
func (e *Engine) DatabaseLabel() string {
	d := e.Cfg.Database
	switch {
	case !d.Several():
		return d.Primary()
	case !d.All():
		return fmt.Sprintf("%d databases", len(d.Names))
	}
	entries, _ := e.entries()
	for _, en := range entries {
		if catalog.Prunable(en) && !en.Safety() && en.Scope() == e.scope() {
			return fmt.Sprintf("%d databases", len(en.Manifest.Databases))
		}
	}
	return "all databases"
}
