package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestScheduleStripSaysNextRunAndFailure (issue 16, screen): with timers
// installed the status strip says when the next scheduled backup runs,
// and a failed last scheduled run is a warning line naming the journal to
// read; at 80 columns the health and the next run still show.
func TestScheduleStripSaysNextRunAndFailure(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 120, 40)
	d.mustNotSee("next:", "scheduled run failed")

	f = newFake()
	f.status.Schedule = &engine.ScheduleSummary{Systemd: true, NextBackup: time.Date(2026, 11, 24, 2, 7, 0, 0, time.UTC)}
	d = newDriver(t, f, 120, 40)
	d.mustSee("last: 3 h ago  next: Tue 02:07")
	d.mustNotSee("scheduled run failed")

	f = newFake()
	f.status.Schedule = &engine.ScheduleSummary{Systemd: true, NextBackup: time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC),
		Failed: []string{"lifeboat-backup.service"}}
	d = newDriver(t, f, 80, 24)
	lines := fitsScreen(t, d, 80, 24)
	d.mustSee("next: 23:00", "✗ the last scheduled run failed: journalctl -u lifeboat-backup.service")
	for _, l := range lines {
		if strings.Contains(l, "next: 23:00") && !strings.Contains(l, "✓ writable") {
			t.Errorf("the strip lost the health for the next run: %q", l)
		}
	}
}
