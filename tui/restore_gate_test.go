package tui

import "testing"

// TestTrust07RestoreDialogNamesTheFilesDatabase: the dialog shows the
// plan's "this is a backup of database X" and "cannot be proven complete",
// and typing the target's name passes it on as the target (--into) and as
// the acceptance of an unterminated file: the engine refuses both without.
func TestTrust07RestoreDialogNamesTheFilesDatabase(t *testing.T) {
	f := newFake()
	f.plan.SourceDatabase, f.plan.Unterminated = "other", true
	f.plan.Warnings = append(f.plan.Warnings, `this is a backup of database "other"; it will be restored into "app"`,
		"this file has no completion line, so it cannot be proven complete")
	d := newDriver(t, f, 100, 30)
	d.press("r")
	d.mustSee(`backup of database "other"`, "cannot be proven complete", "Type app to confirm")
	d.typeText("app")
	d.press("enter")
	d.mustSee("restored backup_2026-11-23_02-00-00.sql.gz into app")
	if !f.called("restore options into=app accept-unterminated=true") {
		t.Fatalf("the restore did not get the confirmed target; calls %v", f.calls)
	}
}
