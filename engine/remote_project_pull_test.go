package engine

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/project"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestRemote11ProjectBackupOnlyOnTheRemote (issue 20): a project backup
// and its signed manifest go to <prefix>projects/<id>/; the listing says
// local+offsite, and after the local disk is lost, offsite. Restore then
// fetches it, checked, and puts the demo project back exactly (CHECKSUM
// TABLE). An object changed on the remote is refused by pull, restore and
// verify, naming the sha256 mismatch, before any change and leaving no
// file behind.
func TestRemote11ProjectBackupOnlyOnTheRemote(t *testing.T) {
	srv := s3test.Start(t)
	e, d := demoEngine(t, 0.02)
	e.Cfg.Remotes = append(e.Cfg.Remotes, srv.Remote("offsite", "db1/"))
	ctx := context.Background()
	bk, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil || len(bk.Offsite) != 1 || !bk.Offsite[0].OK {
		t.Fatalf("backup: %+v, %v", bk.Offsite, err)
	}
	if _, err := os.Stat(srv.Path("db1/projects/1/" + bk.Filename + project.ManifestSuffix)); err != nil {
		t.Fatalf("no manifest on the remote: %v", err)
	}
	list, err := e.ProjectBackups(ctx, "1")
	if err != nil || len(list) != 1 || list[0].Where() != "local+offsite" {
		t.Fatalf("listing = %+v, %v", list, err)
	}

	before := demoChecksums(t, d.DB)
	if err := os.RemoveAll(filepath.Join(e.dir(), "projects")); err != nil { // the local copies are lost
		t.Fatal(err)
	}
	list, err = e.ProjectBackups(ctx, "1")
	if err != nil || len(list) != 1 || list[0].Filename != bk.Filename || list[0].Where() != "offsite" || list[0].State != "complete" ||
		list[0].ProjectName != "Checkout Web" || list[0].Tables["translations"] != bk.Tables["translations"] || list[0].Path != "" {
		t.Fatalf("listing after the local copy was lost = %+v, %v", list, err)
	}
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1",
		"DELETE t FROM translations t JOIN strings s ON s.id = t.string_id JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id WHERE a.project_id = 1 AND t.string_id % 2 = 0")
	res, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil)
	if err != nil {
		t.Fatalf("restore from the remote: %v", err)
	}
	if res.SafetyBackup == "" {
		t.Error("no safety backup before the restore from the remote")
	}
	if after := demoChecksums(t, d.DB); !maps.Equal(after, before) {
		t.Fatalf("after the restore from the remote: %v, want %v", after, before)
	}
	if p := auditActions(t, e.dir(), "pull"); len(p) != 1 || p[0].Result != "ok" || p[0].Object != bk.Filename || !strings.Contains(p[0].Detail, "remote offsite") {
		t.Fatalf("pull audit = %+v", p)
	}
	if list, _ := e.ProjectBackups(ctx, "1"); len(list) < 2 || !hasWhere(list, bk.Filename, "local+offsite") {
		t.Fatalf("listing after the pull = %+v", list)
	}

	// Different bytes, same name and size, on the remote.
	key := srv.Path("db1/projects/1/" + bk.Filename)
	body, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	body[len(body)/2] ^= 0x20
	if err := os.WriteFile(key, body, 0o600); err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(e.dir(), "projects", "1", bk.Filename)
	os.Remove(local)
	os.Remove(local + project.ManifestSuffix)
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1")
	damaged := demoChecksums(t, d.DB)
	if _, err := e.ProjectPull(ctx, "1", bk.Filename, RemoteOptions{}, nil); err == nil || !strings.Contains(err.Error(), "sha256 mismatch") {
		t.Fatalf("pull of a tampered object: %v", err)
	}
	if _, err := e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil); err == nil || !strings.Contains(err.Error(), "sha256 mismatch") {
		t.Fatalf("restore of a tampered object: %v", err)
	}
	if _, err := e.ProjectVerify(ctx, "1", bk.Filename); err == nil || !strings.Contains(err.Error(), "sha256 mismatch") {
		t.Fatalf("verify of a tampered object: %v", err)
	}
	if !maps.Equal(demoChecksums(t, d.DB), damaged) {
		t.Fatal("a refused restore changed the database")
	}
	ents, _ := os.ReadDir(filepath.Dir(local))
	for _, en := range ents {
		if strings.HasPrefix(en.Name(), bk.Filename) || strings.HasPrefix(en.Name(), ".") {
			t.Errorf("a refused pull left %s", en.Name())
		}
	}
	if _, err := e.ProjectPull(ctx, "1", "project_1_backup_2001-01-01_00-00-00.json.gz", RemoteOptions{}, nil); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("pull of a backup no remote holds: %v", err)
	}
	if _, err := e.ProjectPull(ctx, "1", "../x.json.gz", RemoteOptions{}, nil); err == nil {
		t.Fatal("pull accepted a path")
	}
}

func hasWhere(list []ProjectBackupInfo, name, where string) bool {
	for _, b := range list {
		if b.Filename == name {
			return b.Where() == where
		}
	}
	return false
}
