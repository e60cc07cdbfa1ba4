package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrust02ProjectVerifyCommand: `project verify ID NAME` passes a good
// backup, fails a changed one (exit 1), and `project backups` shows a
// backup without its manifest as incomplete.
func TestTrust02ProjectVerifyCommand(t *testing.T) {
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
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
