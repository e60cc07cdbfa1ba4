package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Even past the up-front checks (a link planted after them), the log is
// never written through a symbolic link.
func TestTrust17AuditLogNeverFollowsALink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("original\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, FileName)
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	err := Append(dir, Entry{Action: "create", Result: "ok"})
	if err == nil || !strings.Contains(err.Error(), link) {
		t.Fatalf("Append through a planted link: %v, want an error naming %s", err, link)
	}
	if b, _ := os.ReadFile(victim); string(b) != "original\n" {
		t.Fatalf("the linked file changed: %q", b)
	}
}

func TestTrust17AuditLogRefusesASharedDir(t *testing.T) {
	dir := t.TempDir()
	os.Chmod(dir, 0o777)
	if err := Append(dir, Entry{Action: "create", Result: "ok"}); err == nil || !strings.Contains(err.Error(), "chmod go-w "+dir) {
		t.Fatalf("Append in a world-writable dir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !os.IsNotExist(err) {
		t.Fatalf("the log was written in a world-writable dir: %v", err)
	}
}

// A linked log is not shown as if it were lifeboat's.
func TestTrust17AuditReadRefusesALink(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	if err := Append(other, Entry{Action: "restore", Result: "ok", Object: "forged"}); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, FileName)
	os.Symlink(filepath.Join(other, FileName), link)
	if es, err := Read(dir, 0); err == nil || len(es) != 0 || !strings.Contains(err.Error(), link) {
		t.Fatalf("Read through a link: %v %v", es, err)
	}
}
