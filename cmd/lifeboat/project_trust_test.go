package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// TestTrust02ProjectVerifyCommand: `project verify ID NAME` passes a good
// backup, fails a changed one (exit 1), and `project backups` shows a
// backup without its manifest as incomplete.
func TestTrust02ProjectVerifyCommand(t *testing.T) {
	// compression none: the test edits the JSON text of the backup itself.
	f := newFixture(t, "compression = \"none\"\n\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, budget INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,1000),(2,1,2000)")
	b := f.json(t, "project", "backup", "1")["backup"].(map[string]any)
	name, path := b["filename"].(string), b["filepath"].(string)
	out := f.json(t, "project", "verify", "1", name)
	if out["success"] != true || len(out["checks"].([]any)) != 5 {
		t.Fatalf("project verify of a good backup: %v", out)
	}
	body, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(body), `"budget": 2000`, `"budget": 9000`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	r := f.run(t, "project", "verify", "1", name, "--json")
	if r.code != 1 || !strings.Contains(r.stdout, `"success": false`) || !strings.Contains(r.stdout, "sha256") {
		t.Fatalf("project verify of a changed backup: code %d, %s %s", r.code, r.stdout, r.stderr)
	}
	if r := f.run(t, "project", "restore", "1", name, "--yes"); r.code != 1 || !strings.Contains(r.stderr, "sha256") {
		t.Fatalf("project restore of a changed backup: code %d, %s", r.code, r.stderr)
	}
	os.Remove(path + ".json")
	r = f.run(t, "project", "backups", "1")
	if r.code != 0 || !strings.Contains(r.stdout, "incomplete") {
		t.Fatalf("project backups without the manifest: code %d, %s", r.code, r.stdout)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "projects", "1", name)); err != nil {
		t.Fatal(err)
	}
}

// triggerBody reads one trigger's body.
func triggerBody(t *testing.T, db *sql.DB, name string) string {
	t.Helper()
	var b string
	if err := db.QueryRow("SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = ?", name).Scan(&b); err != nil {
		t.Fatalf("trigger %s: %v", name, err)
	}
	return b
}

// TestTrust13KilledProjectRestoreIsRepaired kills (SIGKILL) a project
// restore while its triggers are guarded, then checks that a session
// setting the old variable still fires them, that a backup taken meanwhile
// holds the originals, that status reports the guarded triggers and
// repairs them from the journal, and that the next restore works.
func TestTrust13KilledProjectRestoreIsRepaired(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, title VARCHAR(40), FOREIGN KEY (project_id) REFERENCES projects(id))",
		"CREATE TABLE audit_log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100))",
		"CREATE TRIGGER tasks_ai AFTER INSERT ON tasks FOR EACH ROW INSERT INTO audit_log (msg) VALUES (CONCAT('task ', NEW.id))",
		"CREATE TRIGGER tasks_ad AFTER DELETE ON tasks FOR EACH ROW INSERT INTO audit_log (msg) VALUES (CONCAT('gone ', OLD.id))",
		"INSERT INTO projects VALUES (1,'Apollo'),(2,'Gemini')",
		"INSERT INTO tasks VALUES (1,1,'launch'),(2,1,'orbit'),(3,2,'dock')")
	orig := map[string]string{"tasks_ai": triggerBody(t, f.db.DB, "tasks_ai"), "tasks_ad": triggerBody(t, f.db.DB, "tasks_ad")}
	name := f.json(t, "project", "backup", "1")["backup"].(map[string]any)["filename"].(string)
	f.db.MustExec(t, "UPDATE projects SET name = 'Renamed' WHERE id = 1", "UPDATE tasks SET title = 'changed' WHERE id = 2")

	// Hold project 1's root row: the restore guards the triggers, deletes
	// the changed task, then waits for this lock on the root row.
	blocker, err := f.db.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback()
	if _, err := blocker.Exec("SELECT * FROM projects WHERE id = 1 FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	p := f.start(t, f.config, "project", "restore", "1", name, "--yes")
	waitFor(t, p, "the restore to guard the triggers and wait for the row lock", func() bool {
		var waiting int
		f.db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DELETE FROM `projects`%'").Scan(&waiting)
		return waiting > 0 && strings.Contains(triggerBody(t, f.db.DB, "tasks_ai"), "lifeboat restore guard")
	})
	p.cmd.Process.Kill() // SIGKILL: nothing of lifeboat runs after this
	p.wait(t)
	journalPath := filepath.Join(f.dir, "projects", project.JournalName)
	raw, err := os.ReadFile(journalPath)
	if err != nil {
		t.Fatalf("no trigger journal after the kill: %v", err)
	}
	if st, _ := os.Stat(journalPath); st.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v", st.Mode().Perm())
	}
	var j project.Journal
	if err := json.Unmarshal(raw, &j); err != nil || len(j.Triggers) != 2 || j.ConnectionID == 0 {
		t.Fatalf("journal: %s (%v)", raw, err)
	}
	blocker.Rollback()
	deadline := time.Now().Add(time.Minute)
	for alive := 1; alive > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the killed restore's connection did not end")
		}
		f.db.QueryRow("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", j.ConnectionID).Scan(&alive)
	}
	var pname string
	f.db.QueryRow("SELECT name FROM projects WHERE id = 1").Scan(&pname)
	if pname != "Renamed" {
		t.Fatalf("the killed restore was not rolled back: project 1 is %q", pname)
	}
	if !strings.Contains(triggerBody(t, f.db.DB, "tasks_ai"), "lifeboat restore guard") {
		t.Fatal("the kill left no guarded trigger: the test did not kill the restore midway")
	}

	// Meanwhile: a session setting the old variable cannot silence the
	// trigger, and a project backup stores the originals.
	conn, err := f.db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range []string{"SET @lifeboat_restore_guard = 1", "INSERT INTO tasks VALUES (10, 2, 'spoof')"} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	var logged int
	f.db.QueryRow("SELECT COUNT(*) FROM audit_log WHERE msg = 'task 10'").Scan(&logged)
	if logged != 1 {
		t.Error("a session that set @lifeboat_restore_guard silenced tasks_ai")
	}
	out, err := project.Export(ctx, f.db.DB, project.Config{Table: "projects", IDColumn: "id", NameColumn: "name"},
		project.ExportOptions{ID: "2", Dir: t.TempDir(), Name: "meanwhile.json", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range out.Meta.Triggers {
		if tr.Body != orig[tr.Name] {
			t.Errorf("a backup taken meanwhile stores %s as %q, want the original %q", tr.Name, tr.Body, orig[tr.Name])
		}
	}

	// status reports the guarded triggers and repairs them.
	st := f.json(t, "status")
	warnings := fmt.Sprint(st["warnings"])
	if !strings.Contains(warnings, "tasks_ai") || !strings.Contains(warnings, "tasks_ad") || !strings.Contains(warnings, "interrupted project restore") {
		t.Errorf("status warnings = %s", warnings)
	}
	for n, body := range orig {
		if got := triggerBody(t, f.db.DB, n); got != body {
			t.Errorf("trigger %s after status: %q, want %q", n, got, body)
		}
	}
	if _, err := os.Stat(journalPath); !os.IsNotExist(err) {
		t.Errorf("journal still there after the repair: %v", err)
	}
	if st := f.json(t, "status"); strings.Contains(fmt.Sprint(st["warnings"]), "tasks_ai") {
		t.Errorf("status still warns after the repair: %v", st["warnings"])
	}

	// The next restore runs and leaves the originals in place.
	f.json(t, "project", "restore", "1", name, "--yes")
	f.db.QueryRow("SELECT name FROM projects WHERE id = 1").Scan(&pname)
	if pname != "Apollo" {
		t.Errorf("project 1 after the next restore: %q", pname)
	}
	for n, body := range orig {
		if got := triggerBody(t, f.db.DB, n); got != body {
			t.Errorf("trigger %s after the next restore: %q, want %q", n, got, body)
		}
	}
}
