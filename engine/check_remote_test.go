package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestCheckRemoteDownOrBehindWarns: with a remote configured, check is OK
// while the remote holds the newest backup, and WARNING, naming the remote
// and what to do, when it lacks it or cannot be reached.
func TestCheckRemoteDownOrBehindWarns(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	setLocalInfile(t, d.DB, true) // else check warns about it (check_infile.go)
	e := remoteEngine(t, d, srv, "gzip")
	ctx := context.Background()
	if _, err := e.Backup(ctx, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := e.Check(ctx, CheckOptions{})
	if err != nil || res.Status != CheckOK {
		t.Fatalf("check with the remote up to date: %+v (%v)", res, err)
	}
	// A backup the remote does not get: local only.
	local := backupEngine(t, d, "gzip")
	local.Cfg.Backup.Dir = e.Cfg.Backup.Dir
	local.Cfg.Backup.SigningKey = e.Cfg.Backup.SigningKey
	time.Sleep(1100 * time.Millisecond) // file names have one-second resolution
	b, err := local.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err = e.Check(ctx, CheckOptions{})
	if err != nil || res.Status != CheckWarning || !strings.Contains(res.Summary, "lifeboat push "+b.Filename) {
		t.Fatalf("check with the remote behind: %+v (%v)", res, err)
	}
	srv.Kill()
	res, err = e.Check(ctx, CheckOptions{})
	if err != nil || res.Status != CheckWarning || !strings.Contains(res.Summary, "remote offsite is not reachable") {
		t.Fatalf("check with the remote down: %+v (%v)", res, err)
	}
	if strings.Contains(res.Summary, srv.Secret) {
		t.Fatal("the summary shows the secret")
	}
}

// TestMetricsCountEveryLocation: with a remote, metrics give its backup
// count and bytes beside local's, and whether it answered.
func TestMetricsCountEveryLocation(t *testing.T) {
	srv := s3test.Start(t)
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	e := remoteEngine(t, d, srv, "gzip")
	b, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := e.WriteMetrics(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`lifeboat_backups{location="local"} 1`, `lifeboat_backups{location="offsite"} 1`,
		fmt.Sprintf(`lifeboat_backups_bytes{location="offsite"} %d`, b.Size), `lifeboat_remote_up{location="offsite"} 1`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, out.String())
		}
	}
}
