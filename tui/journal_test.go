package tui

import (
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// TestTrust12ScreenSaysTheRestoreWasInterrupted: the Full backups tab
// shows an interrupted restore whole, with the command that brings the
// database back, even at 80 columns; safety backups are marked, and a
// DATABASE column appears when the directory holds two databases.
func TestTrust12ScreenSaysTheRestoreWasInterrupted(t *testing.T) {
	f := newFake()
	line := `the restore of backup_2026-11-22_02-00-00.sql.gz into "app" at 2026-11-23 14:03 was interrupted: the database may be partial; bring it back with: lifeboat restore backup_2026-11-23_14-03-00.sql.gz`
	f.status.Interrupted = []string{line}
	f.backups = append([]engine.BackupInfo{
		{Filename: "backup_2026-11-23_14-03-00.sql.gz", State: catalog.StateComplete, Databases: []string{"app"}, Safety: true, CreatedAt: fixedNow},
		{Filename: "backup_2026-11-23_13-00-00.sql.gz", State: catalog.StateComplete, Databases: []string{"crm"}, CreatedAt: fixedNow},
	}, f.backups...)
	d := newDriver(t, f, 80, 24)
	flat := strings.Join(strings.Fields(d.screen()), " ")
	if !strings.Contains(flat, "lifeboat restore backup_2026-11-23_14-03-00.sql.gz") || !strings.Contains(flat, "was interrupted") {
		t.Fatalf("the screen does not show the interrupted restore whole:\n%s", d.screen())
	}
	d.mustSee("DATABASE", "crm", "safety")
}
