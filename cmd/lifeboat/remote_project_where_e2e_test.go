package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestRemote14ProjectListStatusAndPruneAcrossLocations (issue 20), from
// the command line: project list counts the backups in every location
// (JSON: backups and last_backup as before, plus locations); prune with
// the remote's keep lowered to 1 removes the older project backups there,
// reported per location, and leaves backup.dir alone; after the local
// disk is lost project list still counts the remote's copy and project
// status names the remote instead of a file path.
func TestRemote14ProjectListStatusAndPruneAcrossLocations(t *testing.T) {
	srv := s3test.Start(t)
	f := newFixture(t, remoteSection(srv, srv.Secret)+"\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1),(2,1)")
	var names []string
	for range 3 {
		pb, _ := jsonReply[projectBackupReply](t, f, "project", "backup", "1")
		names = append(names, pb.Backup.Filename)
	}
	pl, raw := jsonReply[projectListReply](t, f, "project", "list")
	fields(t, raw["projects"].([]any)[0].(map[string]any), "id", "name", "backups", "last_backup", "locations")
	if len(pl.Projects) != 1 || pl.Projects[0].Backups != 3 || len(pl.Projects[0].Locations) != 2 ||
		pl.Projects[0].Locations[0] != (projectLocationJSON{Name: "local", Backups: 3, LastBackup: pl.Projects[0].LastBackup}) ||
		pl.Projects[0].Locations[1] != (projectLocationJSON{Name: "offsite", Backups: 3, LastBackup: pl.Projects[0].LastBackup}) {
		t.Fatalf("project list --json = %+v", pl.Projects)
	}
	if r := f.run(t, "project", "list"); r.code != 0 || !strings.Contains(r.stdout, "WHERE") || !strings.Contains(r.stdout, "local 3, offsite 3") {
		t.Fatalf("project list: %d %q %q", r.code, r.stdout, r.stderr)
	}

	f.config = writeConfig(t, strings.Replace(readFile(t, f.config), "path_style = true\n", "path_style = true\nkeep = 1\n", 1), 0o600)
	plan, _ := jsonReply[pruneReply](t, f, "prune", "--dry-run")
	older := []string{"projects/1/" + names[1], "projects/1/" + names[0]}
	if len(plan.Remotes) != 1 || plan.Remotes[0].Projects.MaxBackupsKept != 1 || plan.Remotes[0].Projects.FilesBefore != 3 ||
		!slices.Equal(plan.Remotes[0].Projects.Deleted, older) {
		t.Fatalf("prune --dry-run --json remotes = %+v", plan.Remotes)
	}
	if _, err := os.Stat(srv.Path("db1/projects/1/" + names[0])); err != nil {
		t.Fatalf("the dry run removed an object: %v", err)
	}
	r := f.run(t, "prune", "--yes")
	if r.code != 0 || !strings.Contains(r.stderr, "remote offsite: 2 project backup(s) deleted") || !strings.Contains(r.stdout, "deleted projects/1/"+names[0]+" on remote offsite") {
		t.Fatalf("prune --yes: %d %q %q", r.code, r.stdout, r.stderr)
	}
	for i, n := range names {
		if _, err := os.Stat(srv.Path("db1/projects/1/" + n)); (err == nil) != (i == 2) {
			t.Errorf("after prune, %s on the remote: %v", n, err)
		}
	}
	if pl, _ := jsonReply[projectListReply](t, f, "project", "list"); pl.Projects[0].Backups != 3 || pl.Projects[0].Locations[1].Backups != 1 {
		t.Fatalf("after the remote prune, backup.dir must keep 3: %+v", pl.Projects)
	}

	os.RemoveAll(filepath.Join(f.dir, "projects")) // the local disk is lost
	pl, _ = jsonReply[projectListReply](t, f, "project", "list")
	if p := pl.Projects[0]; p.Backups != 1 || p.LastBackup == "" || p.Locations[0].Backups != 0 || p.Locations[1].Backups != 1 {
		t.Fatalf("project list after the local copies were lost = %+v", pl.Projects)
	}
	st, _ := jsonReply[projectStatusReply](t, f, "project", "status", "1")
	if st.Backups != 1 || st.NewestBackup == nil || st.NewestBackup.Filename != names[2] || st.NewestBackup.Filepath != "" ||
		st.NewestBackup.Where != "offsite" || len(st.Locations) != 2 || st.Locations[1].Backups != 1 {
		t.Fatalf("project status --json = %+v (newest %+v)", st, st.NewestBackup)
	}
	r = f.run(t, "project", "status", "1")
	if r.code != 0 || !strings.Contains(r.stdout, "only on remote offsite") || !strings.Contains(r.stdout, "lifeboat project pull 1 "+names[2]) ||
		!strings.Contains(r.stdout, "local 0, offsite 1") {
		t.Fatalf("project status: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// A new project backup prunes that project on the remote to its keep.
	// It must not take names[2]'s second: backup.dir no longer says it is
	// used (see the report: the remote's names are not checked).
	time.Sleep(1100 * time.Millisecond)
	r = f.run(t, "project", "backup", "1")
	if r.code != 0 || !strings.Contains(r.stderr, "remote offsite: pruned 1 older backup(s) of project 1, keeping its newest 1") {
		t.Fatalf("project backup with remote keep 1: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(srv.Path("db1/projects/1/" + names[2])); err == nil {
		t.Fatal("the project backup did not prune the remote's older copy")
	}
}
