package tui

import (
	"context"
	"errors"
	"strings"
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

// A line the driver logs is never drawn; it makes the screen re-check
// the connection at once.
func TestIssue13Item2DriverLineRechecksNotDrawn(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.mustSee("● connected")
	f.pingErr = errors.New("server db1:3306: dial unix: connection refused")
	d.send(driverLogMsg{"connection.go:803 closing bad idle connection: EOF"})
	d.settle()
	d.mustSee("✗ disconnected")
	d.mustNotSee("closing bad idle connection", "[mysql]")
}

func (d *driver) paste(s string) {
	d.send(tea.PasteMsg{Content: s})
	d.settle()
}

// A pasted database name confirms a restore; a pasted filter filters.
func TestIssue13Item4PasteIsTyped(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("r")
	d.paste("app\n")
	d.mustSee("> app_")
	d.press("enter")
	if !f.called("restore backup_2026-11-23_02-00-00.sql.gz") {
		t.Fatalf("the pasted name did not run the restore; calls %v", f.calls)
	}

	d = newDriver(t, newFake(), 80, 24)
	d.press("/")
	d.paste("11-22")
	d.press("enter")
	d.mustSee("backup_2026-11-22_02-00-00.sql.gz", "/11-22")
	d.mustNotSee("backup_2026-11-23_02-00-00.sql.gz")

	// Outside text entry a paste is ignored, and controls never get in.
	d.paste("\x1b[2Jq")
	if d.quit {
		t.Fatal("a paste outside text entry acted as keys")
	}
	d.press("/")
	d.paste("\x1b]0;x\x07y")
	if in := d.m.tabs[tabBackups].(backupsTab).filter.Value(); strings.ContainsAny(in, "\x1b\x07") {
		t.Fatalf("control characters were pasted into the filter: %q", in)
	}
}

// The project restore's typed name takes a paste too.
func TestIssue13Item4PasteInProjectRestore(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("2", "enter", "r")
	d.mustSee("Type")
	typed := d.m.dialog.typed
	d.paste(typed)
	d.press("enter")
	if d.m.dialog != nil {
		t.Fatalf("the pasted %q did not confirm:\n%s", typed, d.screen())
	}
}
