package config

// Binlog is the [binlog] section: the binary-log archive for
// point-in-time recovery (issue 15).
type Binlog struct {
	// Archive keeps the server's binary logs in <backup.dir>/binlog/.
	Archive bool `toml:"archive"`
	// KeepDays: archive files are kept as long as the oldest kept backup
	// needs them, and at least this many days.
	KeepDays int `toml:"keep_days"`
}

// DefaultBinlogKeepDays is binlog.keep_days when the config sets none.
const DefaultBinlogKeepDays = 14

func (c *Config) validateBinlog(v *validator) {
	if c.Binlog.KeepDays < 0 {
		v.add("binlog.keep_days", "%d: use 0 or more days", c.Binlog.KeepDays)
	}
}
