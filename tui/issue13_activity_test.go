package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestIssue13Item11ActivityRefreshesByItself: an entry another lifeboat
// writes appears on the shown Activity tab on its timer, without R.
func TestIssue13Item11ActivityRefreshesByItself(t *testing.T) {
	f := newFake()
	d := newDriverWith(t, f, 80, 24, func(o *Options) { o.ActivityEvery = 500 * time.Millisecond }) // settle waits for 300 ms of quiet
	d.press("3")
	d.mustSee("verify")
	d.mustNotSee("prune")
	f.mu.Lock()
	f.activity = append([]engine.AuditEntry{{Time: day(23, 4), OSUser: "cron", Action: "prune", Object: "/var/backups/lifeboat", Result: "ok"}}, f.activity...)
	f.mu.Unlock()
	d.waitScreen(3*time.Second, "prune")
	d.mustSee("cron")
}

func activityFake() *fakeBackend {
	f := newFake()
	f.activity = []engine.AuditEntry{
		{Time: day(23, 4), OSUser: "bob", Action: "restore", Object: "backup_2026-11-22_02-00-00.sql.gz", Result: "failed", Error: "restore: the server went away"},
		{Time: day(23, 3), OSUser: "alice", Action: "verify", Object: "backup_2026-11-23_02-00-00.sql.gz", Result: "ok", DurationMS: 2100},
		{Time: day(23, 2), OSUser: "root", Action: "create", Object: "backup_2026-11-23_02-00-00.sql.gz", Result: "ok", DurationMS: 14_200},
	}
	return f
}

// TestIssue13Item11ActivityFilter: / filters by action, user or result,
// typed or pasted, words together; enter keeps it, esc clears it.
func TestIssue13Item11ActivityFilter(t *testing.T) {
	d := newDriver(t, activityFake(), 100, 30)
	d.press("3", "/")
	d.mustSee("/_", "(action, user or result)", "enter keep filter")
	d.typeText("alice")
	d.mustSee("verify")
	d.mustNotSee("restore", "create")
	d.press("ctrl+u")
	d.paste("failed")
	d.mustSee("restore", "bob")
	d.mustNotSee("verify", "create")
	d.press("ctrl+u")
	d.typeText("ok root")
	d.mustSee("create")
	d.mustNotSee("verify", "restore")
	d.press("enter")
	d.mustSee("/ok root", "create")
	d.press("esc") // a kept filter: esc clears it
	d.mustSee("verify", "restore", "create")
	d.mustNotSee("/ok root")
	d.press("/")
	d.typeText("nobody")
	d.mustSee("nothing matches the filter")
}

// TestIssue13Item11ActivityKeepsTheYearAt80: at 80 columns the year is in
// the TIME title when all entries share it, or in every row when not.
func TestIssue13Item11ActivityKeepsTheYearAt80(t *testing.T) {
	f := activityFake()
	d := newDriver(t, f, 80, 24)
	d.press("3")
	d.mustSee("TIME (2026)", "11-23 04:00")
	f.activity = append(f.activity, engine.AuditEntry{Time: time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), OSUser: "root", Action: "create", Object: "backup_2025-12-31_23-00-00.sql.gz", Result: "ok"})
	d.press("R")
	d.mustSee("2026-11-23 04:00", "2025-12-31 23:00")
	d.mustNotSee("TIME (2026)")
}

// TestIssue13Item11MExpandsACutError: a long error is cut to two lines
// ending "… m more"; m shows it whole (even while the status line is cut,
// which m would otherwise expand), m again cuts it.
func TestIssue13Item11MExpandsACutError(t *testing.T) {
	f := activityFake()
	long := "restore backup_2026-11-22_02-00-00.sql.gz: line 4211: Error 1146 (42S02): Table 'app.orders_archive' doesn't exist; " +
		"the restore stopped there and the safety backup backup_2026-11-23_03-59-00.sql.gz holds the state before it; restore that one to undo; END-OF-ERROR"
	f.activity[0].Error = long
	d := newDriver(t, f, 80, 24)
	d.press("3")
	d.send(statusMsg{text: strings.Repeat("a status line longer than the window ", 4)})
	d.mustSee("… m more", "m whole error")
	d.mustNotSee("END-OF-ERROR")
	d.press("m")
	d.mustSee("END-OF-ERROR")
	d.mustNotSee("… m more")
	d.press("m")
	d.mustNotSee("END-OF-ERROR")
	// Another entry has no cut error: m is not offered there.
	d.press("down")
	if strings.Contains(d.footer(), "whole error") {
		t.Errorf("m offered for an entry with no cut error: %q", d.footer())
	}
}

// TestIssue13Item11ActivityReloadKeepsTheCursor: at the top the cursor
// follows the newest entry; moved down it stays on its entry when new
// ones arrive.
func TestIssue13Item11ActivityReloadKeepsTheCursor(t *testing.T) {
	f := activityFake()
	d := newDriver(t, f, 100, 30)
	d.press("3")
	newer := engine.AuditEntry{Time: day(23, 5), OSUser: "cron", Action: "prune", Object: "/var/backups/lifeboat", Result: "ok"}
	f.activity = append([]engine.AuditEntry{newer}, f.activity...)
	d.press("R")
	if e, _ := d.m.tabs[tabActivity].(activityTab).selected(); e.Action != "prune" {
		t.Fatalf("at the top the cursor is on %+v, want the newest entry", e)
	}
	d.press("down", "down") // on alice's verify
	f.activity = append([]engine.AuditEntry{{Time: day(23, 6), OSUser: "cron", Action: "create", Result: "ok"}}, f.activity...)
	d.press("R")
	if e, _ := d.m.tabs[tabActivity].(activityTab).selected(); e.OSUser != "alice" {
		t.Fatalf("after a reload the cursor moved to %+v, want alice's verify", e)
	}
}
