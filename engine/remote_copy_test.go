package engine

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// remoteEngine is backupEngine with srv as its one remote, under prefix db1/.
func remoteEngine(t *testing.T, d *testdb.DB, srv *s3test.Server, comp string) *Engine {
	t.Helper()
	e := backupEngine(t, d, comp)
	e.Cfg.Remotes = append(e.Cfg.Remotes, srv.Remote("offsite", "db1/"))
	return e
}

func auditActions(t *testing.T, dir string, action string) []audit.Entry {
	t.Helper()
	all, err := audit.Read(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, en := range all {
		if en.Action == action {
			out = append(out, en)
		}
	}
	return out
}

// TestRemote03BackupGoesOffsiteAndComesBack: after a backup the remote
// holds the file and its manifest; with backup.dir gone, pull fetches it
// back, checked, and the restore from it equals the source (CHECKSUM TABLE).
func TestRemote03BackupGoesOffsiteAndComesBack(t *testing.T) {
	srv := s3test.Start(t)
	d := bkTorture(t)
	e := remoteEngine(t, d, srv, "gzip")
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Offsite) != 1 || !res.Offsite[0].OK || len(res.Warnings) != 0 {
		t.Fatalf("offsite = %+v, warnings %v", res.Offsite, res.Warnings)
	}
	for _, k := range []string{"db1/" + res.Filename, "db1/" + res.Filename + ".json"} {
		if _, err := os.Stat(srv.Path(k)); err != nil {
			t.Fatalf("object %s: %v", k, err)
		}
	}
	pushes := auditActions(t, e.dir(), "push")
	if len(pushes) != 1 || pushes[0].Result != "ok" || pushes[0].Object != res.Filename || !strings.Contains(pushes[0].Detail, "offsite") {
		t.Fatalf("push audit = %+v", pushes)
	}
	want := bkChecksums(t, d.Server, d.Name)

	// The local disk is lost.
	if err := os.RemoveAll(e.dir()); err != nil {
		t.Fatal(err)
	}
	var last progress.Snapshot
	got, err := e.Pull(ctx, res.Filename, RemoteOptions{}, func(s progress.Snapshot) { last = s })
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != res.SHA256 || got.Size != res.Size || last.Op != "pull" || last.Bytes != res.Size {
		t.Fatalf("pull = %+v, last progress %+v; backup was %s %d", got, last, res.SHA256, res.Size)
	}
	list, err := e.List(ctx, 0)
	if err != nil || len(list) != 1 || list[0].Filename != res.Filename || list[0].State != StateComplete {
		t.Fatalf("list after pull = %+v, %v", list, err)
	}
	d.MustExec(t, "CREATE TABLE zz_after_backup (id INT)") // the restore must not keep it
	if _, err := e.Restore(ctx, res.Filename, RestoreOptions{NoSafetyBackup: true}, nil); err != nil {
		t.Fatal(err)
	}
	if after := bkChecksums(t, d.Server, d.Name); !reflect.DeepEqual(after, want) {
		t.Fatalf("CHECKSUM TABLE after restore from the remote copy:\n got %v\nwant %v", after, want)
	}
	if pulls := auditActions(t, e.dir(), "pull"); len(pulls) != 1 || pulls[0].Result != "ok" {
		t.Fatalf("pull audit = %+v", pulls)
	}
}

// TestRemote05TamperedObjectRefused: different bytes under the same name
// on the remote are refused by pull, naming the sha256 mismatch, and leave
// nothing in backup.dir.
func TestRemote05TamperedObjectRefused(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1,'a'),(2,'b')")
	e := remoteEngine(t, d, srv, "none")
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := srv.Path("db1/" + res.Filename)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x20 // same size, other bytes
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(e.dir()); err != nil {
		t.Fatal(err)
	}
	_, err = e.Pull(ctx, res.Filename, RemoteOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "sha256 mismatch") || !strings.Contains(err.Error(), res.Filename) {
		t.Fatalf("pull of a tampered object: %v", err)
	}
	left, _ := os.ReadDir(e.dir())
	for _, f := range left {
		if strings.HasPrefix(f.Name(), "backup_") {
			t.Errorf("a refused pull left %s", f.Name())
		}
	}
}

// TestRemote04RemoteDownKeepsTheLocalBackup: a remote that is down does
// not fail the backup; it says "local only: offsite failed", audited.
func TestRemote04RemoteDownKeepsTheLocalBackup(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	e := remoteEngine(t, d, srv, "gzip")
	srv.Kill()
	res, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatalf("backup with the remote down: %v", err)
	}
	if len(res.Offsite) != 1 || res.Offsite[0].OK || len(res.Warnings) != 1 ||
		!strings.HasPrefix(res.Warnings[0], OffsiteFailedPrefix) || !strings.Contains(res.Warnings[0], "not reachable") {
		t.Fatalf("offsite %+v, warnings %q", res.Offsite, res.Warnings)
	}
	if strings.Contains(res.Warnings[0], srv.Secret) {
		t.Fatal("the secret is in the warning")
	}
	if en, err := e.listed(res.Filename); err != nil || en.State != StateComplete {
		t.Fatalf("local backup: %+v, %v", en, err)
	}
	if p := auditActions(t, e.dir(), "push"); len(p) != 1 || p[0].Result != "failed" || strings.Contains(p[0].Error, srv.Secret) {
		t.Fatalf("push audit = %+v", p)
	}
}

// TestRemote04KilledMidUploadLeavesNoOpenUpload: the remote dies in the
// middle of a multipart push. The local backup stays complete, and once it
// is back, the next push aborts the parts it kept and succeeds.
func TestRemote04KilledMidUploadLeavesNoOpenUpload(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE big (id INT PRIMARY KEY, v TEXT)",
		"INSERT INTO big SELECT seq, CONCAT(SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512)) FROM seq_1_to_50000")
	e := backupEngine(t, d, "none") // no remote yet: the backup alone
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Size < 3*16<<20 {
		t.Fatalf("backup is %d bytes: too small for a multipart upload of several parts", res.Size)
	}
	e.Cfg.Remotes = append(e.Cfg.Remotes, srv.Remote("offsite", "db1/"))
	killed := false
	_, err = e.Push(ctx, res.Filename, RemoteOptions{}, func(s progress.Snapshot) {
		if !killed && s.Bytes > 20<<20 {
			killed = true
			srv.Kill()
		}
	})
	if !killed || err == nil {
		t.Fatalf("push with the remote killed: killed %v, err %v", killed, err)
	}
	if en, err := e.listed(res.Filename); err != nil || en.State != StateComplete {
		t.Fatalf("local backup after the failed push: %+v, %v", en, err)
	}
	srv.Restart()
	t.Logf("open uploads after the restart, before the next push: %v", srv.OpenUploads(t))
	if _, err := os.Stat(srv.Path("db1/" + res.Filename + catalog.ManifestSuffix)); err == nil {
		t.Fatal("the manifest reached the remote although the file did not")
	}
	if _, err := e.Push(ctx, res.Filename, RemoteOptions{}, nil); err != nil {
		t.Fatalf("next push: %v", err)
	}
	if open := srv.OpenUploads(t); len(open) != 0 {
		t.Fatalf("multipart uploads left open: %v", open)
	}
	if st, err := os.Stat(srv.Path("db1/" + res.Filename)); err != nil || st.Size() != res.Size {
		t.Fatalf("object after the next push: %v, %v", st, err)
	}
}
