package engine

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestRemote06DiskLostListVerifyRestoreFromTheRemote: the disaster path.
// backup.dir is deleted; list shows the backup as offsite, verify
// --restore and restore work from the remote alone, and the data equals
// the source (CHECKSUM TABLE).
func TestRemote06DiskLostListVerifyRestoreFromTheRemote(t *testing.T) {
	srv := s3test.Start(t)
	d := bkTorture(t)
	e := remoteEngine(t, d, srv, "gzip")
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := e.List(ctx, 0)
	if err != nil || len(list) != 1 || list[0].Where() != "local+offsite" || len(list[0].Locations) != 2 ||
		list[0].Locations[1].Name != "offsite" || list[0].Locations[1].State != StateComplete {
		t.Fatalf("list with both copies = %+v, %v", list, err)
	}
	want := bkChecksums(t, d.Server, d.Name)
	if err := os.RemoveAll(e.dir()); err != nil {
		t.Fatal(err)
	}
	list, err = e.List(ctx, 0)
	if err != nil || len(list) != 1 || list[0].Filename != res.Filename || list[0].Where() != "offsite" ||
		list[0].State != StateComplete || list[0].Rows != res.Rows {
		t.Fatalf("list after the disk was lost = %+v, %v", list, err)
	}
	vr, err := e.Verify(ctx, res.Filename, VerifyOptions{Restore: true}, nil)
	if err != nil || !vr.OK {
		t.Fatalf("verify --restore from the remote: %+v, %v", vr, err)
	}
	d.MustExec(t, "CREATE TABLE zz_after_backup (id INT)") // the restore must not keep it
	if _, err := e.Restore(ctx, res.Filename, RestoreOptions{NoSafetyBackup: true}, nil); err != nil {
		t.Fatal(err)
	}
	if got := bkChecksums(t, d.Server, d.Name); !reflect.DeepEqual(got, want) {
		t.Fatalf("CHECKSUM TABLE after the restore from the remote:\n got %v\nwant %v", got, want)
	}
}

// TestRemote06TamperedObjectRefusedByRestoreVerifyCat: a remote-only
// backup whose object was changed is never restored, verified or written.
func TestRemote06TamperedObjectRefusedByRestoreVerifyCat(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1,'keep me')")
	e := remoteEngine(t, d, srv, "none")
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := srv.Path("db1/" + res.Filename)
	b, _ := os.ReadFile(p)
	b = bytes.Replace(b, []byte("keep me"), []byte("evil!!!"), 1)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(e.dir()); err != nil {
		t.Fatal(err)
	}
	_, rerr := e.Restore(ctx, res.Filename, RestoreOptions{NoSafetyBackup: true}, nil)
	_, verr := e.Verify(ctx, res.Filename, VerifyOptions{}, nil)
	var out bytes.Buffer
	cerr := e.Cat(ctx, res.Filename, &out)
	for what, err := range map[string]error{"restore": rerr, "verify": verr, "cat": cerr} {
		if err == nil || !strings.Contains(err.Error(), "sha256 mismatch") {
			t.Errorf("%s of a tampered remote object: %v", what, err)
		}
	}
	if out.Len() != 0 {
		t.Errorf("cat wrote %d bytes of a tampered object", out.Len())
	}
	pool, err := d.Server.Open(d.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var v string
	if err := pool.QueryRow("SELECT v FROM t WHERE id = 1").Scan(&v); err != nil || v != "keep me" {
		t.Fatalf("after the refused restore: %q, %v", v, err)
	}
}
