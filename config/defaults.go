package config

import "github.com/BurntSushi/toml"

// Defaults for the projects section.
const (
	DefaultIDColumn   = "id"
	DefaultNameColumn = "name"
)

// ApplyDefaults fills every absent value with its default. Load calls it,
// and engine.Open for a Config built in code; the engine reads the values
// as they are and has no defaults of its own. It does nothing to a Config
// that has had its defaults (a loaded one keeps a key set to zero).
func (c *Config) ApplyDefaults() {
	if !c.defaulted {
		c.applyDefaults(nil)
	}
}

// applyDefaults leaves a key the TOML set explicitly (even to zero) for
// validate to judge; md is nil for a Config built in code.
func (c *Config) applyDefaults(md *toml.MetaData) {
	c.defaulted = true
	absent := func(key ...string) bool { return md == nil || !md.IsDefined(key...) }
	if c.Database.Port == 0 && absent("database", "port") {
		c.Database.Port = DefaultPort
	}
	b := &c.Backup
	if b.Dir == "" && absent("backup", "dir") {
		b.Dir = DefaultBackupDir
	}
	if b.Keep == 0 && absent("backup", "keep") {
		b.Keep = DefaultKeep
	}
	if b.KeepPrevious == 0 && absent("backup", "keep_previous") {
		b.KeepPrevious = DefaultKeepPrevious
	}
	if b.Compression == "" && absent("backup", "compression") {
		b.Compression = DefaultCompression
	}
	if b.Timezone == "" && absent("backup", "timezone") {
		b.Timezone = DefaultTimezone
	}
	if b.StaleAfter.Duration == 0 && absent("backup", "stale_after") {
		b.StaleAfter.Duration = DefaultStaleAfter
	}
	if c.Binlog.KeepDays == 0 && absent("binlog", "keep_days") {
		c.Binlog.KeepDays = DefaultBinlogKeepDays
	}
	c.defaultRemotes()
	p := &c.Projects
	if p.Table == "" {
		return
	}
	if p.IDColumn == "" && absent("projects", "id_column") {
		p.IDColumn = DefaultIDColumn
	}
	if p.NameColumn == "" && absent("projects", "name_column") {
		p.NameColumn = DefaultNameColumn
	}
	if p.Keep == 0 && absent("projects", "keep") {
		p.Keep = DefaultProjectKeep
	}
}
