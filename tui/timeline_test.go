package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"context"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func timelineSelected(t *testing.T, d *driver) engine.BinlogEvent {
	t.Helper()
	ev, ok := d.m.tabs[tabTimeline].(timelineTab).selected()
	if !ok {
		t.Fatalf("no transaction selected:\n%s", d.screen())
	}
	return ev
}

// TestTimelineShowsWindowGapsAndNewestFirst: the window in words, the bar
// with its gap, the gap spelled out, and the transactions newest first
// with the columns of binlog events; it fits 80×24.
func TestTimelineShowsWindowGapsAndNewestFirst(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("4")
	lines := fitsScreen(t, d, 80, 24)
	d.mustSee("[Timeline]", "Recoverable: any moment from 2026-11-23 02:00:03 to 04:58:00 (2 min ago)",
		"✗ gap 03:10:00 – 03:25:00: binlog.000007", "TIME", "GTID", "KIND", "ROWS", "TABLES",
		"0-1-106 DELETE 1,204 app.translations", "binlog.000008:3600")
	var bar string
	for _, l := range lines {
		if strings.Contains(l, "━") {
			bar = l
		}
	}
	if !strings.Contains(bar, "░") || strings.Index(bar, "░") < 10 || strings.LastIndex(bar, "━") < strings.LastIndex(bar, "░") {
		t.Fatalf("the bar should show the gap inside the window: %q", bar)
	}
	s := d.screen()
	if strings.Index(s, "0-1-109") > strings.Index(s, "0-1-101") {
		t.Fatalf("transactions should be newest first:\n%s", s)
	}
	if got := timelineSelected(t, d).GTID; got != "0-1-109" {
		t.Fatalf("the cursor starts on %s, want the newest, 0-1-109", got)
	}
}

// TestTimelineMarksRiskyAndJumps: DROP and the DELETE of 1,204 rows are
// marked, small writes and an ALTER are not; n goes down to the next
// marked one, N back up, and both stay put past the last.
func TestTimelineMarksRiskyAndJumps(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("4")
	for _, l := range strings.Split(d.screen(), "\n") {
		marked := strings.HasPrefix(strings.TrimLeft(l, " ▸"), "! 11-23")
		risky := strings.Contains(l, "DROP TABLE") || strings.Contains(l, "1,204")
		if strings.Contains(l, "11-23 0") && marked != risky {
			t.Errorf("row marked %v, want %v: %q", marked, risky, l)
		}
	}
	want := []string{"0-1-108", "0-1-106", "0-1-106"}
	for _, w := range want {
		d.press("n")
		if got := timelineSelected(t, d).GTID; got != w {
			t.Fatalf("n: on %s, want %s\n%s", got, w, d.screen())
		}
	}
	d.mustSee("! DELETE of 1,204 rows")
	d.press("N")
	if got := timelineSelected(t, d).GTID; got != "0-1-108" {
		t.Fatalf("N: on %s, want 0-1-108", got)
	}
	d.mustSee("! DROP", "DROP TABLE `old_sessions`")
}

func TestRiskyTransactions(t *testing.T) {
	for _, c := range []struct {
		ev   engine.BinlogEvent
		want string
	}{
		{engine.BinlogEvent{Kind: "DDL", Statement: "DROP TABLE `x`"}, "DROP"},
		{engine.BinlogEvent{Kind: "DDL", Statement: "truncate table x"}, "TRUNCATE"},
		{engine.BinlogEvent{Kind: "DDL", Statement: "ALTER TABLE x DROP COLUMN y"}, ""},
		{engine.BinlogEvent{Kind: "DELETE", Rows: 1001}, "DELETE of 1,001 rows"},
		{engine.BinlogEvent{Kind: "DELETE", Rows: 1000}, ""},
		{engine.BinlogEvent{Kind: "UPDATE", Rows: 250_000}, "UPDATE of 250,000 rows"},
		{engine.BinlogEvent{Kind: "INSERT", Rows: 50_000}, ""},
		{engine.BinlogEvent{Kind: "DELETE", Statement: "DELETE FROM orders"}, "DELETE without WHERE"},
		{engine.BinlogEvent{Kind: "UPDATE", Statement: "UPDATE orders SET x=1 WHERE id=3"}, ""},
		{engine.BinlogEvent{Kind: "UPDATE", Statement: "UPDATE orders SET somewhere=1"}, "UPDATE without WHERE"},
	} {
		if got := risky(c.ev); got != c.want {
			t.Errorf("risky(%+v) = %q, want %q", c.ev, got, c.want)
		}
	}
}

// TestTimelineRestoreJustBefore: r on the bad DELETE shows the plan (base,
// transactions, first and last, the swap) and asks for the database's
// name; a wrong name changes nothing; the right one restores with the
// DELETE's GTID as the exclusive stop and no backup named, so the engine
// picks the base before it.
func TestTimelineRestoreJustBefore(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("4", "n", "n", "r")
	fitsScreen(t, d, 80, 24)
	d.mustSee("Restore to just before this?", "Database app goes back to just before",
		"GTID 0-1-106 at 2026-11-23 04:12:07: DELETE of 1,204 rows on", "app.translations.",
		"Base backup backup_2026-11-23_02-00-00.sql.gz", "then 5 transactions of app replayed from 2 archive files.",
		"First 2026-11-23 02:05:11 0-1-101, last 2026-11-23 04:01:30 0-1-105.", "It and everything after it are not applied.",
		"Swap restore", "Type app to confirm")
	if !f.called(`plan-point "" gtid=0-1-106 pos=`) {
		t.Fatalf("the plan should be asked for with the DELETE's GTID and no base: %v", f.calls)
	}
	d.typeText("ap")
	d.press("enter")
	d.mustSee(`that is not "app"`)
	if f.called(`restore-point "" gtid=0-1-106 pos=`) {
		t.Fatal("a wrong name restored")
	}
	d.press("backspace", "backspace")
	d.typeText("app")
	d.press("enter")
	if !f.called(`restore-point "" gtid=0-1-106 pos=`) {
		t.Fatalf("typing app should restore to just before 0-1-106: %v", f.calls)
	}
	d.press("m")
	d.mustSee("restored backup_2026-11-23_02-00-00.sql.gz into app and replayed 5", "transactions, stopping before GTID 0-1-106",
		"swapped in 12 ms")
}

// A transaction without a GTID (a MySQL server without GTIDs) is the
// stop by its place in the log.
func TestTimelineRestoreByPositionWithoutGTID(t *testing.T) {
	f := newFake()
	f.events[len(f.events)-1].GTID = ""
	d := newDriver(t, f, 80, 24)
	d.press("4", "r")
	if !f.called(`plan-point "" gtid= pos=binlog.000008:3600`) {
		t.Fatalf("want the stop at binlog.000008:3600: %v", f.calls)
	}
	d.mustSee("binlog.000008:3600 at 2026-11-23 04:55:40")
}

// Refused before anything is asked: no restore permission, and a plan the
// engine refuses (a gap between the backup and the stop), named.
func TestTimelineRestoreRefusals(t *testing.T) {
	f := newFake()
	f.denied = map[string]error{string(engine.ActionRestore): errors.New("alice may not restore")}
	d := newDriver(t, f, 80, 24)
	d.press("4", "r")
	d.mustSee("alice may not restore")
	d.mustNotSee("Type app to confirm")

	f = newFake()
	f.pointErr = errors.New("the archive has a gap after the backup: binlog.000007 is missing; nothing was changed")
	d = newDriver(t, f, 80, 24)
	d.press("4", "n", "n", "r", "m")
	d.mustSee("restore to just before GTID 0-1-106", "binlog.000007 is missing")
	d.mustNotSee("Type app to confirm")
}

func TestTimelineFilter(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("4", "/")
	d.typeText("translations")
	d.press("enter")
	d.mustSee("/translations", "0-1-106")
	d.mustNotSee("0-1-109", "0-1-101")
	d.press("esc")
	d.mustSee("0-1-109", "0-1-101")
}

// Without [binlog] archive the tab says how to turn it on.
func TestTimelineArchiveOff(t *testing.T) {
	f := newFake()
	f.window = nil
	d := newDriver(t, f, 80, 24)
	d.press("4")
	d.mustSee("The binary-log archive is off", "[binlog] archive = true", "lifeboat binlog sync")
	d.press("r")
	if f.called(fmt.Sprintf("plan-point %q gtid= pos=", "")) {
		t.Fatal("r with no archive asked for a plan")
	}
}

func TestGoldenTimeline(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := New(context.Background(), newFake(), Options{DatabaseName: "app", NoColor: true, Now: func() time.Time { return fixedNow }})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(size[0], size[1]),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			waitText(t, tm, "2026-11-21")
			tm.Send(keyMsg("4"))
			waitText(t, tm, "Recoverable")
			tm.Send(keyMsg("n"))
			waitText(t, tm, "! DROP")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// What the remotes add to the window is said as status says it: files
// only off-site, a remote behind, a remote that could not be listed.
func TestTimelineSaysWhatIsOffsite(t *testing.T) {
	f := newFake()
	f.window.Offsite = engine.WindowOffsite{Files: 3, On: []string{"offsite"},
		Behind:  []engine.BinlogBehind{{Remote: "offsite", Files: []string{"binlog.000009", "binlog.000010"}, Since: at(4, 30, 0)}},
		Problem: "remote backup2: connection refused"}
	d := newDriver(t, f, 80, 24)
	d.press("4")
	fitsScreen(t, d, 80, 24)
	d.mustSee("3 archive files only off-site (on offsite): a restore pulls them, checked",
		"! 2 finished files not yet on remote offsite (since 04:30)", "! remote backup2: connection refused", "0-1-109")
}
