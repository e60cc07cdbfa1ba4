package main

import (
	"strings"
	"testing"
)

// Issue 13 item 10 on the command line: the dry run counts a changed row as
// one UPDATE (JSON "update", the old fields kept); a project whose rows
// were deleted is listed from its backups, marked not in the database;
// and restoring it says there was nothing to back up instead of an empty
// safety backup name.
func TestIssue13Item10ProjectGoneListedPlannedAndRestored(t *testing.T) {
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo'),(2,'Gemini')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, title VARCHAR(40), FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,'launch'),(2,1,'orbit'),(3,2,'dock')",
	)
	pb, _ := jsonReply[projectBackupReply](t, f, "project", "backup", "1")
	name := pb.Backup.Filename

	// (c) one changed row, one deleted row.
	f.db.MustExec(t, "UPDATE tasks SET title='scrubbed' WHERE id=1", "DELETE FROM tasks WHERE id=2")
	dry, _ := jsonReply[projectPlanReply](t, f, "project", "restore", "1", name, "--dry-run")
	if p := dry.Plan["tasks"]; p.Update != 1 || p.Changed != 1 || p.Insert != 2 || p.Delete != 1 || p.Unchanged != 0 {
		t.Fatalf("dry-run plan for tasks: %+v, want update 1 (and the old fields: insert 2, delete 1, changed 1)", p)
	}
	human := f.run(t, "project", "restore", "1", name, "--dry-run")
	if !strings.Contains(human.stderr, "UPDATE") || !hasRow(human.stderr, "tasks", "0", "1", "1", "0") {
		t.Fatalf("dry-run table lacks UPDATE or the tasks row 0 1 1 0:\n%s", human.stderr)
	}

	// (a) the project's rows are deleted: it is still listed, from its backup.
	f.db.MustExec(t, "DELETE FROM tasks WHERE project_id=1", "DELETE FROM projects WHERE id=1")
	list, _ := jsonReply[projectListReply](t, f, "project", "list")
	var gone, kept *projectJSON
	for i, p := range list.Projects {
		switch p.ID {
		case "1":
			gone = &list.Projects[i]
		case "2":
			kept = &list.Projects[i]
		}
	}
	if gone == nil || gone.InDatabase || gone.Name != "Apollo" || gone.Backups != 1 || gone.LastBackup == "" {
		t.Fatalf("the deleted project in project list --json: %+v (all %+v)", gone, list.Projects)
	}
	if kept == nil || !kept.InDatabase || list.Total != 2 {
		t.Fatalf("the project still there: %+v, total %d", kept, list.Total)
	}
	if r := f.run(t, "project", "list"); !strings.Contains(r.stdout, "not in the database") || strings.Count(r.stdout, "not in the database") != 1 {
		t.Fatalf("project list does not mark the one deleted project:\n%s", r.stdout)
	}

	// (b) restoring it: nothing to back up, said so.
	r := f.run(t, "project", "restore", "1", name, "--yes")
	if r.code != 0 || !strings.Contains(r.stderr+r.stdout, "nothing to back up") ||
		strings.Contains(r.stderr+r.stdout, "safety backup of the previous state: \n") {
		t.Fatalf("restore of a deleted project: code %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM tasks WHERE project_id=1").Scan(&n); err != nil || n != 2 {
		t.Fatalf("the restored project has %d tasks (%v), want 2", n, err)
	}
}

// hasRow reports whether a line of out has exactly these fields.
func hasRow(out string, fields ...string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Join(strings.Fields(l), " ") == strings.Join(fields, " ") {
			return true
		}
	}
	return false
}
