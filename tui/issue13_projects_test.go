package tui

import (
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestIssue13Item10DeletedProjectIsListedAndRestorable: a project listed
// only from its backups is marked "not in the database" in the list and
// when opened; its restore dialog says no safety backup is possible and
// which name to type, and the status line says there was nothing to back up.
func TestIssue13Item10DeletedProjectIsListedAndRestorable(t *testing.T) {
	f := newFake()
	f.projects = append(f.projects, engine.ProjectInfo{ID: "12", Name: "Gone Co", Backups: 1, LastBackup: day(21, 9), Missing: true})
	f.pbackups["12"] = []engine.ProjectBackupInfo{{Filename: "project_12_backup_2026-11-21_09-00-00.json", Size: 9_000, CreatedAt: day(21, 9), CreatedBy: "bob"}}
	f.pplan = engine.ProjectRestorePlan{ProjectID: "12", ProjectName: "Gone Co", CreatedAt: day(21, 9), CreatedBy: "bob",
		Tables: []engine.TablePlan{{Table: "projects", Insert: 1}, {Table: "tasks", Insert: 4}}}
	d := newDriver(t, f, 100, 30)
	d.press("2")
	d.mustSee("Gone Co (not in the database)")
	if strings.Count(d.screen(), "not in the database") != 1 {
		t.Fatalf("only the deleted project is marked:\n%s", d.screen())
	}
	d.press("down", "down", "enter")
	d.mustSee("project 12", "not in the database: r puts it back", "project_12_backup_2026-11-21_09-00-00.json")
	d.press("r")
	d.mustSee("Project 12 has no rows now, so there is nothing to back up first.",
		"Not in the database now; type its name in the backup: Gone Co.")
	d.mustNotSee("A safety backup of project 12 is taken first")
	d.typeText("Gone Co")
	d.press("enter")
	if !f.called("project restore 12 project_12_backup_2026-11-21_09-00-00.json") {
		t.Fatalf("the restore did not run; calls %v", f.calls)
	}
}

// TestIssue13Item10RenamedProjectSaysWhichNameToType: the list shows the
// project's current name; the dialog wants the backup's and says why.
func TestIssue13Item10RenamedProjectSaysWhichNameToType(t *testing.T) {
	f := newFake()
	f.projects[0].Name = "Acme Store"
	f.pplan.CurrentName = "Acme Store"
	d := newDriver(t, f, 100, 30)
	d.press("2", "enter", "r")
	d.mustSee("Called Acme Store now; type its name in the backup: Acme Shop.",
		"Type Acme Shop to confirm")
}

// TestIssue13Item10PlanHasAnUpdateColumn: a changed row is one UPDATE, not
// a DELETE and an INSERT.
func TestIssue13Item10PlanHasAnUpdateColumn(t *testing.T) {
	f := newFake()
	f.pplan.Tables = []engine.TablePlan{{Table: "tasks", Delete: 3, Insert: 4, Changed: 2, Unchanged: 7}}
	d := newDriver(t, f, 100, 30)
	d.press("2", "enter", "r")
	d.mustSee("UPDATE")
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.Contains(l, "tasks") && !strings.Contains(strings.Join(strings.Fields(l), " "), "tasks 1 2 2 7") {
			t.Fatalf("tasks row %q, want delete 1, insert 2, update 2, unchanged 7", l)
		}
	}
}

// TestIssue13Item10PruneProjectBackupsFromTheScreen: p on an opened project
// lists exactly the files beyond projects.keep, and y removes only those.
func TestIssue13Item10PruneProjectBackupsFromTheScreen(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 100, 30)
	d.press("2", "enter")
	d.mustSee("p prune")
	d.press("p")
	d.mustSee("Prune old backups of project 7?", "has 2 backups; projects.keep keeps the newest 1",
		"project_7_backup_2026-11-20_09-00-00.json")
	if items := d.m.dialog.items; len(items) != 1 || items[0] != "project_7_backup_2026-11-20_09-00-00.json" {
		t.Fatalf("the dialog offers %v for pruning, want only the older backup", items)
	}
	d.press("y")
	d.mustSee("pruned 1 backup of project 7")
	if !f.called("project prune 7 dry=false only=[project_7_backup_2026-11-20_09-00-00.json]") {
		t.Fatalf("the prune did not get exactly the confirmed file; calls %v", f.calls)
	}
	// Nothing beyond keep: said, no dialog.
	f.pkeep = 5
	d.press("p")
	d.mustSee("nothing to prune: project 7 has 2 backups and projects.keep is 5")
	if d.m.dialog != nil {
		t.Fatal("a dialog opened with nothing to prune")
	}
}
