package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestRemote12ProjectBackupFromTheRemoteAlone (issue 20): `project
// backups` shows WHERE; after the local copies are lost the backup is
// listed offsite, `project pull` fetches it checked, and `project restore`
// of a backup only the remote holds brings the rows back.
func TestRemote12ProjectBackupFromTheRemoteAlone(t *testing.T) {
	srv := s3test.Start(t)
	f := newFixture(t, remoteSection(srv, srv.Secret)+"\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, budget INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,1000),(2,1,2000)")
	pb, _ := jsonReply[projectBackupReply](t, f, "project", "backup", "1")
	name := pb.Backup.Filename
	if len(pb.Backup.Offsite) != 1 || !pb.Backup.Offsite[0].Success {
		t.Fatalf("project backup offsite = %+v", pb.Backup.Offsite)
	}
	r := f.run(t, "project", "backups", "1")
	if r.code != 0 || !strings.Contains(r.stdout, "WHERE") || !strings.Contains(r.stdout, "local+offsite") {
		t.Fatalf("project backups: %d %q %q", r.code, r.stdout, r.stderr)
	}
	pbs, _ := jsonReply[projectBackupsReply](t, f, "project", "backups", "1")
	if len(pbs.Backups) != 1 || len(pbs.Backups[0].Locations) != 2 || pbs.Backups[0].Locations[1].Name != "offsite" {
		t.Fatalf("project backups --json locations = %+v", pbs.Backups)
	}

	projects := filepath.Join(f.dir, "projects")
	os.RemoveAll(projects)
	r = f.run(t, "project", "backups", "1")
	if r.code != 0 || !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "offsite") || strings.Contains(r.stdout, "local+") {
		t.Fatalf("project backups after the local copy was lost: %d %q %q", r.code, r.stdout, r.stderr)
	}
	pull, _ := jsonReply[copyReply](t, f, "project", "pull", "1", name)
	if !pull.Success || pull.Copy.Filename != name || pull.Copy.Remote != "offsite" || pull.Copy.Filesize != pb.Backup.Filesize {
		t.Fatalf("project pull = %+v", pull)
	}
	if st, err := os.Stat(filepath.Join(projects, "1", name)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("pulled file: %v %v", st, err)
	}
	if r := f.run(t, "project", "pull", "1", name); r.code != 1 || !strings.Contains(r.stderr, "already in") {
		t.Fatalf("project pull of a local backup: %d %q", r.code, r.stderr)
	}

	os.RemoveAll(projects)
	f.db.MustExec(t, "DELETE FROM tasks WHERE id = 2", "UPDATE projects SET name = 'damaged'")
	if r := f.run(t, "project", "restore", "1", name, "--yes"); r.code != 0 {
		t.Fatalf("project restore from the remote: %d %q", r.code, r.stderr)
	}
	var n int
	var pname string
	f.db.QueryRow("SELECT COUNT(*) FROM tasks WHERE project_id = 1").Scan(&n)
	f.db.QueryRow("SELECT name FROM projects WHERE id = 1").Scan(&pname)
	if n != 2 || pname != "Apollo" {
		t.Fatalf("after the restore from the remote: %d tasks, name %q", n, pname)
	}
}
