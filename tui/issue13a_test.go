package tui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// newDriverWith is newDriver with the options a test needs changed.
func newDriverWith(t *testing.T, b Backend, w, h int, set func(*Options)) *driver {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o := Options{DatabaseName: "app", NoColor: true, Now: func() time.Time { return fixedNow }}
	set(&o)
	d := &driver{t: t, m: New(ctx, b, o), msgs: make(chan tea.Msg, 64)}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.exec(d.m.Init())
	d.settle()
	return d
}

func berlin(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("Europe/Berlin: %v (is tzdata installed?)", err)
	}
	return loc
}

// The clock and the data are UTC (as a UTC machine's are); backup.timezone
// says Berlin, so every time on the screen is an hour later and the header
// names the zone.
func TestIssue13Item1TimesFollowBackupTimezone(t *testing.T) {
	loc := berlin(t)
	d := newDriverWith(t, newFake(), 120, 40, func(o *Options) { o.Location = loc })
	d.mustSee("Europe/Berlin", "backup_2026-11-23_02-00-00.sql.gz  2026-11-23 03:00")
	d.mustNotSee("2026-11-23 02:00")
	d.press("enter")
	d.mustSee("created        2026-11-23 03:00 by alice", "2026-11-23 04:00 (read) ok")
	d.press("esc", "3")
	d.mustSee("2026-11-23 04:00", "2026-11-23 03:00")
	d.press("2")
	d.mustSee("2026-11-22 15:00")
	d.press("enter")
	d.mustSee("2026-11-22 15:00")
	d.press("r")
	d.mustSee("taken    2026-11-22 15:00 by bob")
}

func TestIssue13Item1NoZoneNoLabel(t *testing.T) {
	d := newDriver(t, newFake(), 120, 40)
	d.mustNotSee("Europe/Berlin", "UTC")
}
