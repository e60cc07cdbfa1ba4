package tui

import (
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestNotifyFailureShowsInActivity (issue 16): a notification that could
// not be delivered is an audit line, and the Activity tab shows it as a
// failure with its reason, at 80 columns.
func TestNotifyFailureShowsInActivity(t *testing.T) {
	f := newFake()
	at := time.Date(2026, 11, 23, 2, 53, 0, 0, time.UTC)
	f.activity = []engine.AuditEntry{
		{Time: at, OSUser: "root", Action: engine.NotifyAuditAction, Object: "failure of create backup_2026-11-23_02-52-00.sql.gz",
			Result: "failed", DurationMS: 5000, Error: "notification not delivered: webhook (notify.webhook): the service answered 500 Internal Server Error"},
		{Time: at.Add(-time.Minute), OSUser: "root", Action: "create", Object: "backup_2026-11-23_02-52-00.sql.gz", Result: "failed", DurationMS: 900},
	}
	d := newDriver(t, f, 80, 24)
	d.press("3")
	fitsScreen(t, d, 80, 24)
	d.mustSee(engine.NotifyAuditAction, "✗ failed: notification not delivered: webhook")
}
