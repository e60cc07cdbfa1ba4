package tui

import "time"

// inZone is the screen's clock: now, in backup.timezone, so that every
// time shown (the tables, the details, the dialogs) reads as the file
// names and the command line do, whatever the process's TZ says.
func inZone(now func() time.Time, loc *time.Location) func() time.Time {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		return now
	}
	return func() time.Time { return now().In(loc) }
}

// zoneLabel is the zone the header names once: "Europe/Berlin", or the
// abbreviation ("CET") when the config says "Local". Empty when no zone
// was given.
func zoneLabel(loc *time.Location, now time.Time) string {
	if loc == nil {
		return ""
	}
	if name := loc.String(); name != "Local" && name != "" {
		return name
	}
	return now.In(loc).Format("MST")
}
