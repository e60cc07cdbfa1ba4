package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestBinlogRemoteCLIArchiveOffsiteDiskLost is issue 15's off-site
// archive from the command line: binlog sync says what it copied to the
// remote (--json "offsite"), status counts the files only the remote
// holds once the archive is lost and says where, and restore --at works
// from them and equals the checksum of the moment before the DELETE. The
// secret is in no output.
func TestBinlogRemoteCLIArchiveOffsiteDiskLost(t *testing.T) {
	srv := s3test.Start(t)
	f := newFixture(t, "\n[binlog]\narchive = true\nkeep_days = 7\n"+remoteSection(srv, srv.Secret))
	var outputs []string
	if r := f.run(t, "backup"); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	f.db.MustExec(t, "INSERT INTO orders (customer_id,total) VALUES (2,42),(1,43)", "UPDATE customers SET balance = 99 WHERE id = 1")
	want := checksum(t, f.db, "`"+f.db.Name+"`.customers", "`"+f.db.Name+"`.orders")
	at := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(at) + 50*time.Millisecond)
	f.db.MustExec(t, "DELETE FROM orders", "FLUSH BINARY LOGS")

	sync, raw := jsonReply[binlogSyncReply](t, f, "binlog", "sync")
	fields(t, raw, "offsite")
	if len(sync.Offsite) != 1 || sync.Offsite[0].Name != "offsite" || sync.Offsite[0].Error != "" || len(sync.Offsite[0].Pushed) == 0 {
		t.Fatalf("binlog sync --json offsite: %+v", sync.Offsite)
	}
	r := f.run(t, "binlog", "sync")
	if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "remote offsite: every finished file is off-site") {
		t.Fatalf("binlog sync again: %d %q %q", r.code, r.stdout, r.stderr)
	}
	outputs = append(outputs, r.stdout, r.stderr)

	if err := os.RemoveAll(filepath.Join(f.dir, "binlog")); err != nil {
		t.Fatal(err)
	}
	st, rawSt := jsonReply[statusReply](t, f, "status")
	fields(t, sub(t, sub(t, rawSt, "recoverable_window"), "offsite"), "files_only_offsite", "remotes", "warnings")
	w := st.RecoverableWindow
	if w == nil || w.Problem != "" || len(w.Gaps) != 0 || w.Offsite == nil || w.Offsite.Files < len(sync.Offsite[0].Pushed) ||
		len(w.Offsite.Remotes) != 1 || w.Offsite.Remotes[0] != "offsite" {
		t.Fatalf("status with the archive only off-site: %+v", w)
	}
	r = f.run(t, "status")
	if !strings.Contains(r.stdout, "recovery   any moment from ") || !strings.Contains(r.stdout, "archive files only off-site (on offsite)") {
		t.Fatalf("status text: %q", r.stdout)
	}
	outputs = append(outputs, r.stdout, r.stderr)

	into := f.db.Name + "_off"
	defer f.db.Exec("DROP DATABASE IF EXISTS `" + into + "`")
	res, _ := jsonReply[pointRestoreReply](t, f, "restore", "--at", at.Format(time.RFC3339), "--into", into, "--yes")
	if !res.Success || res.Restore.Database != into || res.Restore.Transactions != 2 {
		t.Fatalf("restore --at from the remote archive: %+v", res)
	}
	got := checksum(t, f.db, "`"+into+"`.customers", "`"+into+"`.orders")
	if strings.ReplaceAll(got, into, f.db.Name) != want {
		t.Fatalf("restore --at from the remote archive: checksum %s, want %s", got, want)
	}
	for _, o := range outputs {
		if strings.Contains(o, srv.Secret) {
			t.Fatalf("the secret key is in the output: %q", o)
		}
	}
}
