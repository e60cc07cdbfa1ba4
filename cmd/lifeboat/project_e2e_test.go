package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestProjectCommandsEndToEnd(t *testing.T) {
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo'),(2,'Gemini')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, title VARCHAR(40) CHARACTER SET utf8mb4, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,'launch 🚀'),(2,1,'orbit'),(3,2,'dock')",
	)
	list := f.json(t, "project", "list")
	if list["projects"].([]any)[0].(map[string]any)["name"] != "Apollo" {
		t.Fatalf("project list: %v", list)
	}
	fields(t, list["projects"].([]any)[0].(map[string]any), "id", "name", "backups", "last_backup")

	b := f.json(t, "project", "backup", "1")["backup"].(map[string]any)
	fields(t, b, "filename", "filepath", "filesize", "filesize_formatted", "created_at", "project_id", "project_name", "data_summary")
	name := b["filename"].(string)
	if !strings.HasPrefix(name, "project_1_backup_") || filepath.Dir(b["filepath"].(string)) != filepath.Join(f.dir, "projects", "1") {
		t.Fatalf("project backup file: %v", b)
	}
	if st, err := os.Stat(b["filepath"].(string)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("project backup mode: %v %v", err, st)
	}

	backups := f.json(t, "project", "backups", "1")
	fields(t, backups, "backups", "total", "project_id", "backup_directory")
	fields(t, backups["backups"].([]any)[0].(map[string]any)["metadata"].(map[string]any),
		"project_id", "project_name", "created_at", "created_by", "created_by_name", "backup_version")

	f.db.MustExec(t, "DELETE FROM tasks WHERE id=2", "UPDATE tasks SET title='changed' WHERE id=3")
	dry := f.json(t, "project", "restore", "1", name, "--dry-run")
	plan := dry["plan"].(map[string]any)["tasks"].(map[string]any)
	if plan["insert"].(float64) != 1 || plan["delete"].(float64) != 0 {
		t.Fatalf("dry-run plan for tasks: %v", plan)
	}
	if r := f.run(t, "project", "restore", "1", name); r.code != 1 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("project restore without --yes: code %d, %q", r.code, r.stderr)
	}
	res := f.json(t, "project", "restore", "1", name, "--yes")["restore_summary"].(map[string]any)
	fields(t, res, "backup_filename", "backup_created_at", "backup_created_by", "restored_data", "safety_backup")
	var title string
	if err := f.db.QueryRow("SELECT title FROM tasks WHERE id=2").Scan(&title); err != nil || title != "orbit" {
		t.Fatalf("task 2 after restore: %q %v", title, err)
	}
	if err := f.db.QueryRow("SELECT title FROM tasks WHERE id=3").Scan(&title); err != nil || title != "changed" {
		t.Fatalf("the other project's change did not survive: %q %v", title, err)
	}

	for _, bad := range []string{"../1", "1/../../2"} {
		if r := f.run(t, "project", "backups", bad); r.code == 0 {
			t.Errorf("project id %q accepted", bad)
		}
	}
	del := f.json(t, "project", "delete", "1", name, "--yes")
	fields(t, del, "success", "message", "filename")
	if _, err := os.Stat(b["filepath"].(string)); !os.IsNotExist(err) {
		t.Fatalf("project delete left the file: %v", err)
	}
}
