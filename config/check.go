package config

import "time"

// Check is [check]: the thresholds of `lifeboat check` beyond
// backup.stale_after (which is its WARNING age).
type Check struct {
	// CriticalAfter is the age of the newest complete backup that makes
	// check CRITICAL; default twice backup.stale_after.
	CriticalAfter Duration `toml:"critical_after"`
	// WarnFreeBackups: WARNING when the free space in backup.dir holds
	// fewer than this many copies of the newest backup (default 2).
	WarnFreeBackups float64 `toml:"warn_free_backups"`
	// CriticalFreeBackups: CRITICAL below this many copies (default 1).
	CriticalFreeBackups float64 `toml:"critical_free_backups"`
}

// Defaults of [check].
const (
	DefaultWarnFreeBackups     = 2
	DefaultCriticalFreeBackups = 1
)

// CriticalAge is CriticalAfter, or twice stale_after.
func (c *Config) CriticalAge() time.Duration {
	if c.Check.CriticalAfter.Duration > 0 {
		return c.Check.CriticalAfter.Duration
	}
	return 2 * c.StaleAge()
}

// StaleAge is backup.stale_after, or its default.
func (c *Config) StaleAge() time.Duration {
	if c.Backup.StaleAfter.Duration > 0 {
		return c.Backup.StaleAfter.Duration
	}
	return DefaultStaleAfter
}

// FreeThresholds are the WARNING and CRITICAL free-space multiples.
func (c *Config) FreeThresholds() (warn, critical float64) {
	warn, critical = c.Check.WarnFreeBackups, c.Check.CriticalFreeBackups
	if warn == 0 {
		warn = DefaultWarnFreeBackups
	}
	if critical == 0 {
		critical = DefaultCriticalFreeBackups
	}
	return warn, critical
}

func (c *Config) validateCheck(v *validator) {
	k := c.Check
	if k.CriticalAfter.Duration < 0 {
		v.add("check.critical_after", "%q: must be more than 0, such as \"52h\"", k.CriticalAfter.Duration.String())
	} else if k.CriticalAfter.Duration > 0 && k.CriticalAfter.Duration <= c.StaleAge() {
		v.add("check.critical_after", "%q: must be longer than backup.stale_after (%s)", k.CriticalAfter.Duration.String(), c.StaleAge())
	}
	if k.WarnFreeBackups < 0 || k.CriticalFreeBackups < 0 {
		v.add("check.warn_free_backups", "must not be negative: it counts copies of the newest backup")
	}
}
