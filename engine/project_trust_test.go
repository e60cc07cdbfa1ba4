package engine

import (
	"context"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// TestTrust21PlanCountsWhatTheRestoreDoes: every translation of project 1
// is edited, so the restore deletes and re-inserts all of them; the dry
// run must say so, table by table, instead of "delete 0".
func TestTrust21PlanCountsWhatTheRestoreDoes(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.05)
	bk, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if bk.Tables["translations"] < 500 {
		t.Fatalf("project 1 has only %d translations", bk.Tables["translations"])
	}
	mustExec(t, d.DB,
		"UPDATE translations t JOIN strings s ON s.id = t.string_id JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id SET t.text = CONCAT(t.text, ' (edited)') WHERE a.project_id = 1",
		"DELETE FROM string_comments WHERE id = (SELECT id FROM (SELECT MIN(c.id) AS id FROM string_comments c JOIN strings s ON s.id = c.string_id JOIN sections x ON x.id = s.section_id JOIN areas a ON a.id = x.area_id WHERE a.project_id = 1) q)",
		"INSERT INTO string_comments (string_id, body, created_at) SELECT MIN(s.id), 'new', NOW() FROM strings s JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id WHERE a.project_id = 1")
	res, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{DryRun: true}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	plan := res.Plan
	done, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	if done.Deleted["translations"] != bk.Tables["translations"] || done.Inserted["translations"] != bk.Tables["translations"] {
		t.Fatalf("the restore deleted %d and inserted %d translations, want all %d", done.Deleted["translations"], done.Inserted["translations"], bk.Tables["translations"])
	}
	if len(plan.Tables) == 0 || len(plan.Tables) != len(done.Deleted) {
		t.Fatalf("plan has %d tables, the restore touched %d", len(plan.Tables), len(done.Deleted))
	}
	for _, tp := range plan.Tables {
		if tp.Delete != done.Deleted[tp.Table] || tp.Insert != done.Inserted[tp.Table] {
			t.Errorf("table %s: plan delete %d insert %d, the restore deleted %d inserted %d",
				tp.Table, tp.Delete, tp.Insert, done.Deleted[tp.Table], done.Inserted[tp.Table])
		}
		if tp.Table == "translations" && tp.Changed != tp.Delete {
			t.Errorf("translations: plan says %d changed of %d deleted, want all", tp.Changed, tp.Delete)
		}
	}
}
