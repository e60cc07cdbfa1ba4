package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAge11EncryptedProjectBackupFromTheCommandLine (issue 14): a host
// with only the recipient writes .json.gz.age project backups, lists
// them, verifies them from outside and refuses to restore them, naming
// identity_file; with the identity the restore brings the rows back.
func TestAge11EncryptedProjectBackupFromTheCommandLine(t *testing.T) {
	key := filepath.Join(t.TempDir(), "age.key")
	r := lifeboat(t, nil, "key", "new", key)
	recipient := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(recipient, "age1") {
		t.Fatalf("key new: code %d, %q %q", r.code, r.stdout, r.stderr)
	}
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n\n[encryption]\nrecipients = [\""+recipient+"\"]\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, budget INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,1000),(2,1,2000)")
	pb, _ := jsonReply[projectBackupReply](t, f, "project", "backup", "1")
	name := pb.Backup.Filename
	if !strings.HasSuffix(name, ".json.gz.age") {
		t.Fatalf("project backup %q: want .json.gz.age", name)
	}
	if r := f.run(t, "project", "backups", "1"); r.code != 0 || !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "complete (age: no identity)") {
		t.Fatalf("project backups: code %d, %s %s", r.code, r.stdout, r.stderr)
	}
	out := f.json(t, "project", "verify", "1", name)
	if out["success"] != true || !strings.Contains(fmt.Sprint(out["checks"]), "not checked") {
		t.Fatalf("project verify without the identity: %v", out)
	}
	f.db.MustExec(t, "DELETE FROM tasks WHERE id = 2")
	r = f.run(t, "project", "restore", "1", name, "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "encryption.identity_file") || !strings.Contains(r.stderr, "not touched") {
		t.Fatalf("project restore without the identity: code %d, %q", r.code, r.stderr)
	}
	body, _ := os.ReadFile(f.config)
	withKey := writeConfig(t, string(body)+"identity_file = \""+key+"\"\n", 0o600)
	if r := lifeboatIn(t, withKey, "project", "backups", "1"); !strings.Contains(r.stdout, "complete (age)") {
		t.Fatalf("project backups with the identity: %q", r.stdout)
	}
	if r := lifeboatIn(t, withKey, "project", "restore", "1", name, "--yes"); r.code != 0 {
		t.Fatalf("project restore with the identity: code %d, %q", r.code, r.stderr)
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM tasks WHERE project_id = 1").Scan(&n); err != nil || n != 2 {
		t.Fatalf("tasks after the restore: %d (%v), want 2", n, err)
	}
}
