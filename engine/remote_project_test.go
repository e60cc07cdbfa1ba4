package engine

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestRemote10ProjectBackupsGoOffsite: a project backup is copied, byte
// for byte, to <prefix>projects/<id>/ on every remote, and the full-backup
// listing of the remote does not mistake it for a backup.
func TestRemote10ProjectBackupsGoOffsite(t *testing.T) {
	srv := s3test.Start(t)
	e, _ := demoEngine(t, 0.01)
	e.Cfg.Remotes = append(e.Cfg.Remotes, srv.Remote("offsite", "db1/"))
	ctx := context.Background()
	r, err := e.ProjectBackup(ctx, "12", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Offsite) != 1 || !r.Offsite[0].OK {
		t.Fatalf("offsite = %+v", r.Offsite)
	}
	want, _ := os.ReadFile(r.Path)
	got, err := os.ReadFile(srv.Path("db1/projects/12/" + r.Filename))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("remote copy: %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	list, err := e.List(ctx, 0)
	if err != nil || len(list) != 0 {
		t.Fatalf("full-backup list = %+v, %v", list, err)
	}
	if p := auditActions(t, e.dir(), "push"); len(p) != 1 || p[0].Result != "ok" || p[0].Object != r.Filename {
		t.Fatalf("push audit = %+v", p)
	}
}
