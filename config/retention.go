package config

// Retention is the calendar retention (GFS) of [backup], on top of keep:
// the newest backup of each of the last keep_daily days, keep_weekly ISO
// weeks, keep_monthly months and keep_yearly years that have a backup,
// with days in backup.timezone. A backup is kept when any rule keeps it.
// All default to 0 (off).
type Retention struct {
	KeepDaily   int `toml:"keep_daily"`
	KeepWeekly  int `toml:"keep_weekly"`
	KeepMonthly int `toml:"keep_monthly"`
	KeepYearly  int `toml:"keep_yearly"`
}

// Calendar reports whether any calendar rule is on.
func (r Retention) Calendar() bool {
	return r.KeepDaily > 0 || r.KeepWeekly > 0 || r.KeepMonthly > 0 || r.KeepYearly > 0
}

// validateRetention refuses negative counts and a policy that keeps
// nothing: keep = 0 is allowed only when a calendar rule keeps backups.
func (c *Config) validateRetention(v *validator) {
	b := c.Backup
	for _, r := range []struct {
		key string
		n   int
	}{{"keep_daily", b.KeepDaily}, {"keep_weekly", b.KeepWeekly}, {"keep_monthly", b.KeepMonthly}, {"keep_yearly", b.KeepYearly}} {
		if r.n < 0 {
			v.add("backup."+r.key, "%d: must be 0 (off) or more", r.n)
		}
	}
	switch {
	case b.Keep < 0:
		v.add("backup.keep", "%d: must be at least 1", b.Keep)
	case b.Keep == 0 && !b.Calendar():
		v.add("backup.keep", "0: must be at least 1 unless keep_daily, keep_weekly, keep_monthly or keep_yearly is set: this policy would keep nothing")
	}
}
