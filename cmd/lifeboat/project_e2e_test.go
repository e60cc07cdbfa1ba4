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
	list, rawList := jsonReply[projectListReply](t, f, "project", "list")
	if len(list.Projects) == 0 || list.Projects[0].Name != "Apollo" {
		t.Fatalf("project list: %+v", list)
	}
	fields(t, rawList["projects"].([]any)[0].(map[string]any), "id", "name", "backups", "last_backup")

	pb, rawBackup := jsonReply[projectBackupReply](t, f, "project", "backup", "1")
	b := pb.Backup
	fields(t, sub(t, rawBackup, "backup"), "filename", "filepath", "filesize", "filesize_formatted", "created_at", "project_id", "project_name", "data_summary")
	name := b.Filename
	if !strings.HasPrefix(name, "project_1_backup_") || filepath.Dir(b.Filepath) != filepath.Join(f.dir, "projects", "1") {
		t.Fatalf("project backup file: %+v", b)
	}
	if st, err := os.Stat(b.Filepath); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("project backup mode: %v %v", err, st)
	}

	backups, rawBackups := jsonReply[projectBackupsReply](t, f, "project", "backups", "1")
	fields(t, rawBackups, "backups", "total", "project_id", "backup_directory")
	fields(t, sub(t, rawBackups["backups"].([]any)[0].(map[string]any), "metadata"),
		"project_id", "project_name", "created_at", "created_by", "created_by_name", "backup_version")
	if backups.Total != 1 || backups.Backups[0].Metadata.ProjectName != "Apollo" {
		t.Fatalf("project backups: %+v", backups)
	}

	f.db.MustExec(t, "DELETE FROM tasks WHERE id=2", "UPDATE tasks SET title='changed' WHERE id=3")
	dry, _ := jsonReply[projectPlanReply](t, f, "project", "restore", "1", name, "--dry-run")
	plan, ok := dry.Plan["tasks"]
	if !ok || plan.Insert != 1 || plan.Delete != 0 {
		t.Fatalf("dry-run plan for tasks: %+v", dry.Plan)
	}
	if r := f.run(t, "project", "restore", "1", name); r.code != 1 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("project restore without --yes: code %d, %q", r.code, r.stderr)
	}
	res, rawRes := jsonReply[projectRestoreReply](t, f, "project", "restore", "1", name, "--yes")
	fields(t, sub(t, rawRes, "restore_summary"), "backup_filename", "backup_created_at", "backup_created_by", "restored_data", "safety_backup")
	if res.RestoreSummary.BackupFilename != name || res.RestoreSummary.SafetyBackup == "" {
		t.Fatalf("project restore: %+v", res)
	}
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
	del, rawDel := jsonReply[deleteReply](t, f, "project", "delete", "1", name, "--yes")
	fields(t, rawDel, "success", "message", "filename")
	if !del.Success || del.Filename != name {
		t.Fatalf("project delete: %+v", del)
	}
	if _, err := os.Stat(b.Filepath); !os.IsNotExist(err) {
		t.Fatalf("project delete left the file: %v", err)
	}
}
