package engine

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestRemote12ProjectBackupsPrunedPerLocation (issue 20): project backups
// under <prefix>projects/<id>/ keep the remote's own keep (2, then 1)
// while backup.dir keeps projects.keep (10). A project backup prunes its
// project there, audited with the remote's name; `prune` prunes every
// project there, reports it per location, and a confirmed run removes only
// what the dry run showed. Another tool's objects, an unsigned manifest
// and an upload without its manifest are never touched.
func TestRemote12ProjectBackupsPrunedPerLocation(t *testing.T) {
	srv := s3test.Start(t)
	e, _ := demoEngine(t, 0.01)
	rem := srv.Remote("offsite", "db1/")
	rem.Keep = 2
	e.Cfg.Remotes = append(e.Cfg.Remotes, rem)
	ctx := context.Background()
	var names []string
	for range 4 {
		r, err := e.ProjectBackup(ctx, "12", nil)
		if err != nil || len(r.Offsite) != 1 || !r.Offsite[0].OK {
			t.Fatalf("backup: %+v %v", r.Offsite, err)
		}
		names = append(names, r.Filename)
	}
	one, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := e.openStore("")
	foreign := map[string]string{
		"projects/12/notes.txt":                                       "not lifeboat's",
		"projects/12/project_12_backup_2019-01-01_00-00-00.json":      `{"metadata":{}}`,
		"projects/12/project_12_backup_2019-01-01_00-00-00.json.json": "{}", // unsigned
		"projects/12/project_12_backup_2018-01-01_00-00-00.json":      "an upload without its manifest",
		"projects/other/x.json":                                       "{}",
	}
	for k, body := range foreign {
		if err := st.Put(ctx, k, strings.NewReader(body), int64(len(body)), nil); err != nil {
			t.Fatal(err)
		}
	}
	has := func(key string) bool { _, err := os.Stat(srv.Path("db1/" + key)); return err == nil }
	for i, n := range names {
		if want := i >= 2; has("projects/12/"+n) != want || has("projects/12/"+n+".json") != want {
			t.Errorf("after 4 backups with remote keep 2: %s on the remote = %v, want %v", n, !want, want)
		}
	}
	if local, _ := e.ProjectBackups(ctx, "12"); len(local) != 4 || !hasWhere(local, names[0], "local") || !hasWhere(local, names[3], "local+offsite") {
		t.Fatalf("backup.dir must keep all 4 (projects.keep 10): %+v", local)
	}
	var lines int
	for _, a := range auditActions(t, e.dir(), "prune") {
		if strings.Contains(a.Detail, "remote offsite, project 12") && (a.Object == "projects/12/"+names[0] || a.Object == "projects/12/"+names[1]) {
			lines++
		}
	}
	if lines != 2 {
		t.Fatalf("want 2 audited remote prunes of project 12: %+v", auditActions(t, e.dir(), "prune"))
	}

	// prune with the remote's keep now 1: a dry run shows, changes nothing.
	e.Cfg.Remotes[0].Keep = 1
	plan, err := e.Prune(ctx, PruneOptions{DryRun: true})
	if err != nil || len(plan.Remotes) != 1 {
		t.Fatalf("dry run: %+v %v", plan, err)
	}
	rp := plan.Remotes[0]
	if rp.ProjectKeep != 1 || rp.ProjectFilesBefore != 3 || !slices.Equal(rp.ProjectDeleted, []string{"projects/12/" + names[2]}) || rp.Error != "" {
		t.Fatalf("dry run on the remote: %+v", rp)
	}
	if !has("projects/12/" + names[2]) {
		t.Fatal("the dry run removed an object")
	}
	// A backup of project 1 taken after the dry run (while the keep was
	// still 2) is not in what the user confirmed: the confirmed run
	// leaves project 1 alone.
	e.Cfg.Remotes[0].Keep = 2
	if _, err := e.ProjectBackup(ctx, "1", nil); err != nil {
		t.Fatal(err)
	}
	e.Cfg.Remotes[0].Keep = 1
	// A confirmed run that names only full backups (as the screen's prune
	// dialog, which lists no project backups, does) removes none of them.
	res, err := e.Prune(ctx, PruneOptions{Only: plan.Deleted, RemoteOnly: plan.RemoteDeleted()})
	if err != nil || len(res.Remotes[0].ProjectDeleted) != 0 || !has("projects/12/"+names[2]) {
		t.Fatalf("confirmed prune without project backups: %+v %v", res.Remotes, err)
	}
	res, err = e.Prune(ctx, PruneOptions{Only: plan.Deleted, RemoteOnly: plan.RemoteDeleted(), RemoteProjectOnly: plan.RemoteProjectDeleted()})
	if err != nil || !slices.Equal(res.Remotes[0].ProjectDeleted, rp.ProjectDeleted) {
		t.Fatalf("confirmed prune: %+v %v", res.Remotes, err)
	}
	if has("projects/12/"+names[2]) || has("projects/12/"+names[2]+".json") || !has("projects/12/"+names[3]) {
		t.Fatal("the confirmed prune did not remove what the dry run showed, or removed the newest")
	}
	if !has("projects/1/" + one.Filename) {
		t.Fatal("a backup the user did not confirm was removed")
	}
	for k := range foreign {
		if !has(k) {
			t.Errorf("prune removed %s, which lifeboat did not write", k)
		}
	}
	// Without confirmation lists, project 1 goes to its newest 1 too.
	res, err = e.Prune(ctx, PruneOptions{})
	if err != nil || !slices.Equal(res.Remotes[0].ProjectDeleted, []string{"projects/1/" + one.Filename}) || has("projects/1/"+one.Filename) {
		t.Fatalf("prune of project 1 on the remote: %+v %v", res.Remotes, err)
	}
	if local, _ := e.ProjectBackups(ctx, "1"); len(local) != 2 || !hasWhere(local, one.Filename, "local") {
		t.Fatalf("the remote prune touched backup.dir: %+v", local)
	}
}
