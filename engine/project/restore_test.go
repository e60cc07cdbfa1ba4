package project

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// damageGraph changes project 1 in every way, and project 2 once.
func damageGraph(t *testing.T, d *testdb.DB) {
	d.MustExec(t,
		"DELETE FROM tags WHERE item_id = 1001",
		"DELETE FROM notes WHERE note = 'n2'",
		"DELETE FROM sections WHERE id = 102", // cascades to item 1002 and its tags
		"UPDATE items SET body = 'changed', price = 0 WHERE id = 1000",
		"UPDATE areas SET title = 'renamed area' WHERE id = 11",
		"INSERT INTO sections VALUES (104, 1, 'api', 103, 'new nested')",
		"INSERT INTO items VALUES (1004, 104, 'new item', NULL, 1)",
		"INSERT INTO notes (item_id, note) VALUES (1004, 'new note')",
		"INSERT INTO tags VALUES (1000, 'a'), (1004, 'z')",
		"UPDATE projects SET name = 'Renamed', default_area_id = 11 WHERE id = 1",
		"UPDATE items SET body = 'beta changed' WHERE id = 2001", // the other project
	)
}

func restoreFile(t *testing.T, db *testdb.DB, id, path string, dry bool) (Result, error) {
	t.Helper()
	b, err := ReadBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	return Restore(context.Background(), db.DB, graphCfg, RestoreOptions{ID: id, Backup: b, DryRun: dry})
}

func TestRestoreExactOnGraphSchema(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	before := checksums(t, d.DB, graphTables...)
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	if bk.Meta.Tables["items"].Rows != 4 || bk.Meta.ProjectName != "Alpha" || len(bk.Meta.Triggers) != 3 {
		t.Fatalf("backup meta: %+v", bk.Meta)
	}
	damageGraph(t, d)
	logAfterDamage := checksums(t, d.DB, "log")["log"]
	otherRow := scalar(t, d.DB, "SELECT body FROM items WHERE id = 2001")

	res, err := restoreFile(t, d, "1", bk.Path, false)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if res.Inserted["items"] != 2 || res.Deleted["items"] != 2 {
		t.Errorf("items inserted %d deleted %d, want 2 and 2", res.Inserted["items"], res.Deleted["items"])
	}
	if len(res.Plan.Triggers) != 3 || !strings.Contains(strings.Join(res.Plan.Triggers, "\n"), "silenced for the restoring session") {
		t.Errorf("trigger plan: %q", res.Plan.Triggers)
	}
	// The other project's change survives, the trigger-written log is
	// untouched by the restore, and the date the trigger would stamp is not.
	if got := scalar(t, d.DB, "SELECT body FROM items WHERE id = 2001"); got != otherRow || got != "beta changed" {
		t.Errorf("other project's row = %q, want %q", got, otherRow)
	}
	if got := checksums(t, d.DB, "log")["log"]; got != logAfterDamage {
		t.Errorf("log changed during the restore (a trigger fired)")
	}
	if got := scalar(t, d.DB, "SELECT created FROM items WHERE id = 1002"); got != "2020-01-04" {
		t.Errorf("item 1002 created = %s, want 2020-01-04 (trigger rewrote it?)", got)
	}
	// Triggers are back, exactly.
	if got := scalar(t, d.DB, "SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'items_bi'"); got != "SET NEW.created = '1999-12-31'" {
		t.Errorf("items_bi body after restore = %q", got)
	}
	d.MustExec(t, "UPDATE items SET body = 'beta two' WHERE id = 2001")
	after := checksums(t, d.DB, graphTables...)
	for _, tb := range graphTables {
		if tb != "log" && after[tb] != before[tb] {
			t.Errorf("table %s: checksum %d after restore, %d before the damage", tb, after[tb], before[tb])
		}
	}
}

func TestRestoreDryRunCounts(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	damageGraph(t, d)
	sums := checksums(t, d.DB, graphTables...)
	res, err := restoreFile(t, d, "1", bk.Path, true)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]TablePlan{
		"projects": {Delete: 1, Insert: 1, Unchanged: 0}, // renamed: deleted and inserted again
		"areas":    {Delete: 1, Insert: 1, Unchanged: 1},
		"sections": {Delete: 1, Insert: 1, Unchanged: 3},
		"items":    {Delete: 2, Insert: 2, Unchanged: 2},
		"notes":    {Delete: 2, Insert: 2, Unchanged: 1},
		"tags":     {Delete: 2, Insert: 1, Unchanged: 2},
		"links":    {Delete: 0, Insert: 0, Unchanged: 3},
	}
	for _, tp := range res.Plan.Tables {
		w := want[tp.Table]
		if tp.Delete != w.Delete || tp.Insert != w.Insert || tp.Unchanged != w.Unchanged {
			t.Errorf("%s: delete %d insert %d unchanged %d, want %d %d %d", tp.Table, tp.Delete, tp.Insert, tp.Unchanged, w.Delete, w.Insert, w.Unchanged)
		}
	}
	if len(res.Plan.Tables) != len(want) {
		t.Errorf("plan has %d tables, want %d", len(res.Plan.Tables), len(want))
	}
	if !strings.Contains(res.Plan.Tree, "sections  4 rows") {
		t.Errorf("tree:\n%s", res.Plan.Tree)
	}
	after := checksums(t, d.DB, graphTables...)
	for tb, v := range sums {
		if after[tb] != v {
			t.Errorf("dry run changed table %s", tb)
		}
	}
}

func TestRestoreFailingMidwayChangesNothing(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	damageGraph(t, d)
	// A constraint added since the backup rejects one backup row: the
	// insert into items fails after the deletes already ran.
	d.MustExec(t, "ALTER TABLE items ADD CONSTRAINT no_snowmen CHECK (body IS NULL OR body NOT LIKE '%☃%')")
	sums := checksums(t, d.DB, graphTables...)
	_, err := restoreFile(t, d, "1", bk.Path, false)
	if err == nil || !strings.Contains(err.Error(), `insert into "items"`) || !strings.Contains(err.Error(), "no_snowmen") || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("restore err = %v, want a failed insert into items and a rollback", err)
	}
	after := checksums(t, d.DB, graphTables...)
	for tb, v := range sums {
		if after[tb] != v {
			t.Errorf("failed restore changed table %s", tb)
		}
	}
	if got := scalar(t, d.DB, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND ACTION_STATEMENT LIKE '%lifeboat_restore_guard%'"); got != "0" {
		t.Errorf("%s triggers still guarded after a failed restore", got)
	}
}

func TestRestoreRefusesKeyTakenByAnotherProject(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	damageGraph(t, d)
	// Project 3 took item 1002's id after the damage deleted it.
	d.MustExec(t, "INSERT INTO sections VALUES (300, 3, 'x', NULL, 'g')", "INSERT INTO items VALUES (1002, 300, 'gamma', NULL, 5)")
	sums := checksums(t, d.DB, graphTables...)
	_, err := restoreFile(t, d, "1", bk.Path, false)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), `table "items": the backup's row with id = [1002] is taken`) {
		t.Fatalf("restore err = %v, want a refusal naming items 1002", err)
	}
	after := checksums(t, d.DB, graphTables...)
	for tb, v := range sums {
		if after[tb] != v {
			t.Errorf("refused restore changed table %s", tb)
		}
	}
}

func TestRestoreOrphanCheckRollsBack(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	// The upward row the backup needs is gone: the restore must refuse.
	d.MustExec(t, "SET SESSION foreign_key_checks = 0", "UPDATE projects SET owner_id = 2 WHERE id = 1", "DELETE FROM owners WHERE id = 1", "UPDATE projects SET owner_id = 2 WHERE id = 3")
	sums := checksums(t, d.DB, graphTables...)
	dry, err := restoreFile(t, d, "1", bk.Path, true)
	if err != nil || len(dry.Plan.Warnings) != 1 || !strings.Contains(dry.Plan.Warnings[0], `point at 1 rows of "owners" that no longer exist`) {
		t.Errorf("dry run: warnings %q, err %v", dry.Plan.Warnings, err)
	}
	_, err = restoreFile(t, d, "1", bk.Path, false)
	if err == nil || !strings.Contains(err.Error(), `point at 1 rows of "owners" that no longer exist`) {
		t.Fatalf("restore err = %v, want an orphan refusal", err)
	}
	after := checksums(t, d.DB, graphTables...)
	for tb, v := range sums {
		if after[tb] != v {
			t.Errorf("refused restore changed table %s", tb)
		}
	}
}

func TestRestoreDrift(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	damageGraph(t, d)
	d.MustExec(t, "ALTER TABLE items ADD COLUMN rating INT NOT NULL DEFAULT 7")
	res, err := restoreFile(t, d, "1", bk.Path, false)
	if err != nil {
		t.Fatalf("restore after an added column: %v", err)
	}
	if !strings.Contains(strings.Join(res.Plan.Drift, "\n"), "items.rating (int(11)) was added since the backup: restored rows take its default") {
		t.Errorf("drift = %q", res.Plan.Drift)
	}
	if got := scalar(t, d.DB, "SELECT rating FROM items WHERE id = 1002"); got != "7" {
		t.Errorf("restored row rating = %s, want the default 7", got)
	}
	// A table that joined the project since the backup: its project rows go.
	d.MustExec(t, "CREATE TABLE votes (item_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, n INT, FOREIGN KEY (item_id) REFERENCES items (id))",
		"INSERT INTO votes VALUES (1000, 1), (2000, 2)")
	res, err = restoreFile(t, d, "1", bk.Path, false)
	if err != nil {
		t.Fatalf("restore after a new table: %v", err)
	}
	if got := scalar(t, d.DB, "SELECT GROUP_CONCAT(item_id) FROM votes"); got != "2000" {
		t.Errorf("votes after restore = %s, want only project 2's row 2000", got)
	}
	if !strings.Contains(strings.Join(res.Plan.Drift, "\n"), `table "votes" joined the project since the backup`) {
		t.Errorf("drift = %q", res.Plan.Drift)
	}
	d.MustExec(t, "ALTER TABLE items DROP COLUMN body", "DELETE FROM tags WHERE item_id = 1000")
	sums := checksums(t, d.DB, append(graphTables, "votes")...)
	_, err = restoreFile(t, d, "1", bk.Path, false)
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "column items.body (text) was dropped since the backup") {
		t.Fatalf("restore after a dropped column: err = %v, want a refusal naming items.body", err)
	}
	after := checksums(t, d.DB, append(graphTables, "votes")...)
	for tb, v := range sums {
		if after[tb] != v {
			t.Errorf("refused restore changed table %s", tb)
		}
	}
	d.MustExec(t, "ALTER TABLE items ADD COLUMN body TEXT", "ALTER TABLE areas MODIFY title VARCHAR(40)", "ALTER TABLE notes ENGINE = MyISAM")
	_, err = restoreFile(t, d, "1", bk.Path, true)
	if err == nil || !strings.Contains(err.Error(), "column areas.title changed type from varchar(50) to varchar(40)") {
		t.Errorf("narrowed type: err = %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), `table "notes" uses the MyISAM engine`) {
		t.Errorf("non-transactional table: err = %v", err)
	}
}

func TestRestoreRefusesToStrandRowsOfOtherProjects(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	// Project 2's default area is, oddly, project 1's area 11 (a link up
	// the cycle that does not make it project 1's).
	d.MustExec(t, "UPDATE projects SET default_area_id = 11 WHERE id = 2")
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	d.MustExec(t, "INSERT INTO areas VALUES (12, 1, 'new', 'New')")
	b, err := ReadBackup(bk.Path)
	if err != nil {
		t.Fatal(err)
	}
	// Remove area 11 (and what hangs off it) from the backup: restoring
	// would delete it and leave project 2 pointing at nothing.
	drop := map[string]string{"areas": "11", "sections": "103", "items": "1003", "links": "2"}
	for tb, id := range drop {
		rows := b.Rows[tb][:0]
		for _, r := range b.Rows[tb] {
			if r[0] != id {
				rows = append(rows, r)
			}
		}
		b.Rows[tb] = rows
	}
	sums := checksums(t, d.DB, graphTables...)
	_, err = Restore(context.Background(), d.DB, graphCfg, RestoreOptions{ID: "1", Backup: b})
	if err == nil || !strings.Contains(err.Error(), `1 rows of "projects" would point at missing rows of "areas"`) {
		t.Fatalf("restore err = %v, want an orphan refusal", err)
	}
	after := checksums(t, d.DB, graphTables...)
	for tb, v := range sums {
		if after[tb] != v {
			t.Errorf("refused restore changed table %s", tb)
		}
	}
}

func TestRestoreDeletedProject(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	before := checksums(t, d.DB, graphTables...)
	bk := export(t, d.DB, graphCfg, "1", t.TempDir())
	// Deleting the project cascades through areas, sections, items and
	// tags; notes (linked only in the config) are left stranded.
	d.MustExec(t, "UPDATE projects SET default_area_id = NULL WHERE id = 1", "DELETE FROM projects WHERE id = 1")
	if n := scalar(t, d.DB, "SELECT COUNT(*) FROM items WHERE id < 2000"); n != "0" {
		t.Fatalf("cascade left %s items", n)
	}
	logAfterDamage := checksums(t, d.DB, "log")["log"]
	res, err := restoreFile(t, d, "1", bk.Path, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.ProjectExists || len(res.Plan.Warnings) != 1 || !strings.Contains(res.Plan.Warnings[0], `table "notes": 3 stranded rows`) {
		t.Errorf("plan: exists %v warnings %q", res.Plan.ProjectExists, res.Plan.Warnings)
	}
	after := checksums(t, d.DB, graphTables...)
	for _, tb := range graphTables {
		if tb == "log" {
			if after[tb] != logAfterDamage {
				t.Errorf("log changed during the restore")
			}
			continue
		}
		if after[tb] != before[tb] {
			t.Errorf("table %s differs from before the delete", tb)
		}
	}
}
