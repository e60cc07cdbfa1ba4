package engine

import (
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
)

// TestIssue13Item10ProjectPruneKeepsTheNewest: the prune the screen runs
// for a project's backups plans the complete files beyond projects.keep
// (a dry run removes nothing and writes no audit line), removes only the
// files the user confirmed, and records one project_prune line.
func TestIssue13Item10ProjectPruneKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	e, _ := demoEngine(t, 0.01)
	e.Cfg.Projects.Keep = 5
	var names []string
	for range 3 {
		r, err := e.ProjectBackup(ctx, "12", nil)
		if err != nil {
			t.Fatal(err)
		}
		names = append([]string{r.Filename}, names...) // newest first
	}
	before, _ := audit.Read(e.dir(), 0)
	e.Cfg.Projects.Keep = 1
	plan, err := e.ProjectPrune(ctx, "12", ProjectPruneOptions{DryRun: true})
	if err != nil || !reflect.DeepEqual(plan.Deleted, names[1:]) || plan.Keep != 1 || plan.Total != 3 {
		t.Fatalf("dry run: %+v, %v; want %v of 3 with keep 1", plan, err, names[1:])
	}
	if after, _ := audit.Read(e.dir(), 0); len(after) != len(before) {
		t.Errorf("the dry run wrote an audit line: %+v", after[0])
	}
	if list, _ := e.ProjectBackups(ctx, "12"); len(list) != 3 {
		t.Fatalf("the dry run removed files: %+v", list)
	}
	// Only the confirmed file goes, though the plan now has two.
	res, err := e.ProjectPrune(ctx, "12", ProjectPruneOptions{Only: []string{names[2]}})
	if err != nil || !reflect.DeepEqual(res.Deleted, names[2:]) {
		t.Fatalf("prune of the confirmed file: %+v, %v", res, err)
	}
	if _, err := os.Stat(e.projectsDir() + "/12/" + names[1]); err != nil {
		t.Errorf("a file the user did not confirm was removed: %v", err)
	}
	res, err = e.ProjectPrune(ctx, "12", ProjectPruneOptions{})
	if err != nil || !reflect.DeepEqual(res.Deleted, names[1:2]) {
		t.Fatalf("second prune: %+v, %v", res, err)
	}
	list, _ := e.ProjectBackups(ctx, "12")
	if len(list) != 1 || list[0].Filename != names[0] {
		t.Fatalf("kept %+v, want only the newest %s", list, names[0])
	}
	ents, _ := audit.Read(e.dir(), 1)
	if len(ents) != 1 || ents[0].Action != "project_prune" || ents[0].Object != "12" || ents[0].Result != "ok" || ents[0].Detail != "keep 1; removed 1" {
		t.Errorf("audit = %+v", ents)
	}
	if _, err := e.ProjectPrune(ctx, "../12", ProjectPruneOptions{}); err == nil {
		t.Error("a project id that is a path was accepted")
	}
}
