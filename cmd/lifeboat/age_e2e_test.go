package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAge09KeyNewThenEncryptedBackupsFromTheCommandLine: the whole flow a
// sysadmin runs. `key new` prints only the recipient; a host with only the
// recipient writes .age backups, lists them as "no identity" and refuses
// to restore them, naming identity_file; with the identity the restore
// brings the rows back.
func TestAge09KeyNewThenEncryptedBackupsFromTheCommandLine(t *testing.T) {
	key := filepath.Join(t.TempDir(), "age.key")
	r := lifeboat(t, nil, "key", "new", key)
	recipient := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(recipient, "age1") || strings.Contains(r.stdout+r.stderr, "AGE-SECRET-KEY") {
		t.Fatalf("key new: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("identity file: %v %v", st, err)
	}
	if r := lifeboat(t, nil, "key", "new", key); r.code == 0 || !strings.Contains(r.stderr, "never overwrites") {
		t.Fatalf("key new over an existing file: code %d, %q", r.code, r.stderr)
	}

	f := newFixture(t, "\n[encryption]\nrecipients = [\""+recipient+"\"]\n")
	out, _ := jsonReply[backupReply](t, f, "backup")
	if !out.Success || !strings.HasSuffix(out.Backup.Filename, ".sql.gz.age") {
		t.Fatalf("backup: %+v", out)
	}
	list := decodeJSON[listReply](t, f.run(t, "list", "--json"))
	if len(list.Backups) != 1 || !list.Backups[0].Encrypted || list.Backups[0].Opens != "no identity" {
		t.Fatalf("list --json: %+v", list.Backups)
	}
	if r := f.run(t, "list"); !strings.Contains(r.stdout, "complete (age: no identity)") {
		t.Fatalf("list: %q", r.stdout)
	}
	f.db.MustExec(t, "DELETE FROM orders")
	r = f.run(t, "restore", out.Backup.Filename, "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "encryption.identity_file") || !strings.Contains(r.stderr, "not touched") {
		t.Fatalf("restore without the identity: code %d, %q", r.code, r.stderr)
	}

	body, _ := os.ReadFile(f.config)
	withKey := writeConfig(t, string(body)+"identity_file = \""+key+"\"\n", 0o600)
	r = lifeboatIn(t, withKey, "restore", out.Backup.Filename, "--yes")
	if r.code != 0 {
		t.Fatalf("restore with the identity: code %d, %q", r.code, r.stderr)
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM orders").Scan(&n); err != nil || n != 3 {
		t.Fatalf("orders after the restore: %d (%v), want 3", n, err)
	}
	if r := lifeboatIn(t, withKey, "list"); !strings.Contains(r.stdout, "(age)") {
		t.Fatalf("list with the identity: %q", r.stdout)
	}
}
