package main

import (
	"strings"
	"testing"
)

// TestIssue13Item16ProjectBackupIsGzip: with the default compression,
// `project backup` writes a .json.gz, `project verify` checks it whole
// and `project backups` lists it with its state.
func TestIssue13Item16ProjectBackupIsGzip(t *testing.T) {
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, budget INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,1000),(2,1,2000)")
	pb, _ := jsonReply[projectBackupReply](t, f, "project", "backup", "1")
	name := pb.Backup.Filename
	if !strings.HasSuffix(name, ".json.gz") {
		t.Fatalf("project backup %q: want a .json.gz", name)
	}
	out := f.json(t, "project", "verify", "1", name)
	checks, _ := out["checks"].([]any)
	if out["success"] != true || len(checks) != 5 || !strings.Contains(out["checks"].([]any)[3].(map[string]any)["detail"].(string), "decompressed (gzip)") {
		t.Fatalf("project verify of a .json.gz: %v", out)
	}
	r := f.run(t, "project", "backups", "1")
	if r.code != 0 || !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "complete") {
		t.Fatalf("project backups: code %d, %s %s", r.code, r.stdout, r.stderr)
	}
}
