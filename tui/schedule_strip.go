package tui

import (
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// scheduleNext is the strip's word on the next scheduled backup:
// "next: 02:07" today, "next: Thu 02:07" later; "" when no timer is
// installed or its next run is unknown.
func scheduleNext(s *engine.Status, now time.Time) string {
	if s.Schedule == nil {
		return ""
	}
	if !s.Schedule.Systemd {
		return "timers: systemd not running"
	}
	next := s.Schedule.NextBackup
	if next.IsZero() {
		return "next: not scheduled"
	}
	next = next.In(now.Location())
	y1, m1, d1 := now.Date()
	y2, m2, d2 := next.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return "next: " + next.Format("15:04")
	}
	return "next: " + next.Format("Mon 15:04")
}

// scheduleFailed is the warning under the strip when the last scheduled
// run of a job failed, with where to read why.
func scheduleFailed(s *engine.Status) string {
	if s.Schedule == nil || len(s.Schedule.Failed) == 0 {
		return ""
	}
	return "the last scheduled run failed: journalctl -u " + strings.Join(s.Schedule.Failed, " -u ")
}
