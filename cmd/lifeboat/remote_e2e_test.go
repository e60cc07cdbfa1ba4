package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

func remoteSection(srv *s3test.Server, secret string) string {
	return fmt.Sprintf("\n[[remote]]\nname = \"offsite\"\ntype = \"s3\"\nendpoint = %q\nregion = \"us-east-1\"\nbucket = %q\nprefix = \"db1/\"\naccess_key_id = %q\nsecret_access_key = %q\npath_style = true\n",
		srv.Endpoint, srv.Bucket, srv.Access, secret)
}

// TestRemote07NewUserPath: what a sysadmin does: configure a remote, back
// up, see local+offsite, lose backup.dir, see it offsite, restore from it.
// The secret appears in no output.
func TestRemote07NewUserPath(t *testing.T) {
	srv := s3test.Start(t)
	f := newFixture(t, remoteSection(srv, srv.Secret))
	out, raw := jsonReply[backupReply](t, f, "backup")
	fields(t, sub(t, raw, "backup"), "offsite")
	if len(out.Backup.Offsite) != 1 || !out.Backup.Offsite[0].Success || out.Backup.Offsite[0].Remote != "offsite" {
		t.Fatalf("backup offsite = %+v", out.Backup.Offsite)
	}
	name := out.Backup.Filename
	list, _ := jsonReply[listReply](t, f, "list")
	if len(list.Backups) != 1 || len(list.Backups[0].Locations) != 2 || list.Backups[0].Locations[0].Name != "local" ||
		list.Backups[0].Locations[1].Name != "offsite" || list.Backups[0].Locations[1].State != "complete" {
		t.Fatalf("list locations = %+v", list.Backups)
	}
	st, _ := jsonReply[statusReply](t, f, "status")
	if len(st.Remotes) != 1 || !st.Remotes[0].Reachable || st.Remotes[0].TotalBackups != 1 || st.Remotes[0].NewestBackup == nil ||
		st.Remotes[0].NewestBackup.Filename != name || st.Remotes[0].TotalSize != out.Backup.Filesize {
		t.Fatalf("status remotes = %+v", st.Remotes)
	}
	r := f.run(t, "list")
	if r.code != 0 || !strings.Contains(r.stdout, "WHERE") || !strings.Contains(r.stdout, "local+offsite") {
		t.Fatalf("list: %d %q %q", r.code, r.stdout, r.stderr)
	}
	before := checksum(t, f.db, "customers", "orders")
	if err := os.RemoveAll(f.dir); err != nil {
		t.Fatal(err)
	}
	r = f.run(t, "list")
	if r.code != 0 || !strings.Contains(r.stdout, name) || !strings.Contains(r.stdout, "offsite") || strings.Contains(r.stdout, "local+") {
		t.Fatalf("list after the disk was lost: %d %q %q", r.code, r.stdout, r.stderr)
	}
	f.db.MustExec(t, "DELETE FROM orders", "UPDATE customers SET name='damaged'")
	jsonReply[restoreReply](t, f, "restore", name, "--yes", "--no-safety-backup")
	if got := checksum(t, f.db, "customers", "orders"); got != before {
		t.Fatalf("after the restore from the remote: %s, want %s", got, before)
	}
	// pull of a backup already here is refused; push again is fine.
	if r := f.run(t, "pull", name); r.code != 1 || !strings.Contains(r.stderr, "already in") {
		t.Fatalf("pull of a local backup: %d %q", r.code, r.stderr)
	}
	push, raw := jsonReply[copyReply](t, f, "push", name, "--remote", "offsite")
	fields(t, sub(t, raw, "copy"), "filename", "remote", "filesize", "sha256")
	if push.Copy.Filename != name || push.Copy.Remote != "offsite" || push.Copy.Filesize != out.Backup.Filesize {
		t.Fatalf("push = %+v", push)
	}
	for _, args := range [][]string{{"status"}, {"list", "--json"}, {"push", name}} {
		if r := f.run(t, args...); strings.Contains(r.stdout+r.stderr, srv.Secret) {
			t.Fatalf("lifeboat %v printed the secret", args)
		}
	}
	audit, err := os.ReadFile(f.dir + "/audit.log")
	if err != nil || !strings.Contains(string(audit), `"push"`) || !strings.Contains(string(audit), `"pull"`) || strings.Contains(string(audit), srv.Secret) {
		t.Fatalf("audit log (%v): want push and pull lines and no secret:\n%s", err, audit)
	}
}

// TestRemote07BadRemoteSaysWhatToFix: wrong secret, missing bucket and an
// unknown --remote each give a clear message without the secret; the local
// backup still succeeds.
func TestRemote07BadRemoteSaysWhatToFix(t *testing.T) {
	srv := s3test.Start(t)
	f := newFixture(t, remoteSection(srv, "Wrong-Secret-Value-77"))
	r := f.run(t, "backup")
	if r.code != 0 || !strings.Contains(r.stderr, "local only: offsite failed:") || !strings.Contains(r.stderr, "secret key is wrong") ||
		strings.Contains(r.stderr+r.stdout, "Wrong-Secret-Value-77") {
		t.Fatalf("backup with a wrong secret: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = f.run(t, "push", "backup_2000-01-01_00-00-00.sql.gz", "--remote", "elsewhere")
	if r.code == 0 || !strings.Contains(r.stderr, `no such remote "elsewhere"`) {
		t.Fatalf("unknown remote: %d %q", r.code, r.stderr)
	}
	g := newFixture(t, strings.Replace(remoteSection(srv, srv.Secret), `bucket = "lifeboat"`, `bucket = "nope"`, 1))
	r = g.run(t, "status")
	if !strings.Contains(r.stdout, `bucket "nope" does not exist`) || strings.Contains(r.stdout+r.stderr, srv.Secret) {
		t.Fatalf("status with a missing bucket: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestRemote08PruneReportsPerLocation: prune applies the remote's own
// keep and reports it apart; backup.dir keeps its own.
func TestRemote08PruneReportsPerLocation(t *testing.T) {
	srv := s3test.Start(t)
	f := newFixture(t, remoteSection(srv, srv.Secret)+"keep = 10\n")
	var names []string
	for range 2 {
		out, _ := jsonReply[backupReply](t, f, "backup")
		names = append(names, out.Backup.Filename)
	}
	body, err := os.ReadFile(f.config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.config, []byte(strings.Replace(string(body), "keep = 10\n", "keep = 1\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	dry, _ := jsonReply[pruneReply](t, f, "prune", "--dry-run")
	if len(dry.Remotes) != 1 || len(dry.Remotes[0].Deleted) != 1 || dry.Remotes[0].Deleted[0] != names[0] || dry.CleanupStats.FilesDeleted != 0 {
		t.Fatalf("dry run = %+v", dry)
	}
	res, raw := jsonReply[pruneReply](t, f, "prune", "--yes")
	if len(raw["remotes"].([]any)) != 1 || len(res.Remotes) != 1 || res.Remotes[0].Name != "offsite" || res.Remotes[0].FilesDeleted != 1 ||
		res.Remotes[0].MaxBackupsKept != 1 || res.CleanupStats.FilesDeleted != 0 {
		t.Fatalf("prune = %+v", res)
	}
	if _, err := os.Stat(srv.Path("db1/" + names[0])); !os.IsNotExist(err) {
		t.Fatalf("old object still on the remote: %v", err)
	}
	if _, err := os.Stat(srv.Path("db1/" + names[1])); err != nil {
		t.Fatalf("newest object gone: %v", err)
	}
	list, _ := jsonReply[listReply](t, f, "list")
	if len(list.Backups) != 2 || len(list.Backups[1].Locations) != 1 || list.Backups[1].Locations[0].Name != "local" {
		t.Fatalf("list after prune = %+v", list.Backups)
	}
}
