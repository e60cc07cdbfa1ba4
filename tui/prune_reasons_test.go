package tui

import (
	"fmt"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestGFSPruneDialogSaysWhy (issue 16): the prune dialog names the
// calendar rules in force, lists the files that go, and says which rule
// keeps each file beyond the newest N; at 80x24 it still fits.
func TestGFSPruneDialogSaysWhy(t *testing.T) {
	f := newFake()
	f.prune.Calendar = "keep_monthly 12"
	f.prune.Verdicts = []engine.PruneVerdict{
		{Name: "backup_2026-11-23_02-00-00.sql.gz", Kept: true, Rules: []string{"keep"}, Why: []string{"keep: one of the newest 20"}},
		{Name: "backup_2026-10-31_02-00-00.sql.gz", Kept: true, Rules: []string{"keep_monthly"}, Why: []string{"keep_monthly: newest of 2026-10"}},
		{Name: "backup_2026-10-02_02-00-00.sql.gz"},
		{Name: "backup_2026-10-01_02-00-00.sql.gz"},
		{Name: "backup_2026-09-15_02-00-00.sql.gz", Kept: true, Rules: []string{"newest_verified"}, Why: []string{"the newest verified backup"}},
	}
	d := newDriver(t, f, 80, 24)
	d.press("p")
	fitsScreen(t, d, 80, 24)
	d.mustSee("Keep the newest 20 and keep_monthly 12; 2 files go (4.6 MB):",
		"• backup_2026-10-01_02-00-00.sql.gz", "Also kept (2):",
		"backup_2026-10-31_02-00-00.sql.gz: keep_monthly: newest of 2026-10",
		"backup_2026-09-15_02-00-00.sql.gz: the newest verified backup", "y yes   n/esc no")
	d.mustNotSee("backup_2026-11-23_02-00-00.sql.gz: keep")

	// Many kept by calendar rules: the dialog names a few and says where
	// the whole list is.
	f = newFake()
	for i := range 12 {
		f.prune.Verdicts = append(f.prune.Verdicts, engine.PruneVerdict{Name: fmt.Sprintf("backup_2025-%02d-28_02-00-00.sql.gz", i+1),
			Kept: true, Rules: []string{"keep_monthly"}, Why: []string{fmt.Sprintf("keep_monthly: newest of 2025-%02d", i+1)}})
	}
	d = newDriver(t, f, 80, 24)
	d.press("p")
	fitsScreen(t, d, 80, 24)
	d.mustSee("Also kept (12):", "… and 8 more: lifeboat prune --dry-run lists each", "y yes   n/esc no")

	// And with 30 files going too, the answer keys still show at 80x24.
	for i := range 30 {
		f.prune.Deleted = append(f.prune.Deleted, fmt.Sprintf("backup_2024-10-%02d_02-00-00.sql.gz", i+1))
	}
	d = newDriver(t, f, 80, 24)
	d.press("p")
	fitsScreen(t, d, 80, 24)
	d.mustSee("Prune old backups?", "32 files go", "y yes   n/esc no")
}

// TestIssue13Item12NothingToPruneSaysWhy: when nothing goes but more
// than the newest N stay, the status line says which rule keeps them.
func TestIssue13Item12NothingToPruneSaysWhy(t *testing.T) {
	f := newFake()
	f.prune.Deleted, f.prune.FilesBefore, f.prune.Keep = nil, 3, 2
	f.prune.Verdicts = []engine.PruneVerdict{
		{Name: "backup_2026-11-23_02-00-00.sql.gz", Kept: true, Rules: []string{"keep"}},
		{Name: "backup_2026-11-22_02-00-00.sql.gz", Kept: true, Rules: []string{"keep"}},
		{Name: "backup_2026-11-20_02-00-00.sql.gz", Kept: true, Rules: []string{"newest_verified"}, Why: []string{"the newest verified backup"}},
	}
	d := newDriver(t, f, 120, 40)
	d.press("p")
	d.mustSee("nothing to prune: 3 backups, keeping the newest 2; also kept: backup_2026-11-20_02-00-00.sql.gz (the newest verified")
}

// TestGFSStripWithOnlyCalendarRules: with keep = 0 (calendar rules only)
// the strip says how many are kept, not "12 of 0 kept".
func TestGFSStripWithOnlyCalendarRules(t *testing.T) {
	f := newFake()
	f.status.Keep = 0
	d := newDriver(t, f, 120, 40)
	d.mustSee("  12 kept  last:")
	d.mustNotSee("of 0 kept")
}
