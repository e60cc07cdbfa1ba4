package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The holder file is never written through a link, even one planted after
// the directory was checked.
func TestTrust17LockHolderNeverFollowsALink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(victim, []byte("original\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, LockName+".holder")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if err := writeHolder(link, "backup pid 1"); err == nil || !strings.Contains(err.Error(), link) {
		t.Fatalf("writeHolder through a link: %v", err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "original\n" {
		t.Fatalf("the linked file changed: %q", b)
	}
}
