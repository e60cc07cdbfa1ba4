package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

func projectInfo(t *testing.T, e *Engine, id string) ProjectInfo {
	t.Helper()
	list, err := e.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("project %s not listed: %+v", id, list)
	return ProjectInfo{}
}

// TestRemote13ProjectListAndStatusAcrossLocations (issue 20): project list
// counts a project's backups in backup.dir and on the remote; after the
// local disk is lost it still says 2, not 0, with the newest one's time,
// and project status names the remote that holds the newest backup
// instead of a file path. A remote that is down is named, not counted.
func TestRemote13ProjectListAndStatusAcrossLocations(t *testing.T) {
	srv := s3test.Start(t)
	e, _ := demoEngine(t, 0.01)
	if p := projectInfo(t, e, "12"); p.Locations != nil || p.Backups != 0 {
		t.Fatalf("without remotes: %+v", p)
	}
	e.Cfg.Remotes = append(e.Cfg.Remotes, srv.Remote("offsite", "db1/"))
	ctx := context.Background()
	var last ProjectBackupResult
	for range 2 {
		r, err := e.ProjectBackup(ctx, "12", nil)
		if err != nil {
			t.Fatal(err)
		}
		last = r
	}
	p := projectInfo(t, e, "12")
	if p.Backups != 2 || len(p.Locations) != 2 || p.Locations[0] != (ProjectLocation{Name: "local", Backups: 2, LastBackup: last.CreatedAt}) ||
		p.Locations[1] != (ProjectLocation{Name: "offsite", Backups: 2, LastBackup: last.CreatedAt}) {
		t.Fatalf("both locations: %+v", p)
	}
	if other := projectInfo(t, e, "1"); other.Backups != 0 || len(other.Locations) != 2 || other.Locations[1].Backups != 0 {
		t.Fatalf("a project without backups: %+v", other)
	}

	if err := os.RemoveAll(filepath.Join(e.dir(), "projects")); err != nil { // the local disk is lost
		t.Fatal(err)
	}
	p = projectInfo(t, e, "12")
	if p.Backups != 2 || !p.LastBackup.Equal(last.CreatedAt) || p.Locations[0].Backups != 0 || p.Locations[1].Backups != 2 {
		t.Fatalf("after the local copies were lost: %+v", p)
	}
	st, err := e.ProjectStatus(ctx, "12")
	if err != nil {
		t.Fatal(err)
	}
	if st.Backups != 2 || st.LastBackup == nil || st.LastBackup.Filename != last.Filename || st.LastBackup.Path != "" ||
		st.LastBackup.Where() != "offsite" || len(st.Locations) != 2 || st.Locations[1].Backups != 2 || st.Locations[0].Backups != 0 {
		t.Fatalf("status after the local copies were lost: %+v", st)
	}

	srv.Kill()
	p = projectInfo(t, e, "12")
	if p.Backups != 0 || len(p.Locations) != 2 || !strings.Contains(p.Locations[1].Error, `remote "offsite"`) {
		t.Fatalf("with the remote down: %+v", p)
	}
}
