package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrust17MkdirUnderRefusesLinks(t *testing.T) {
	base, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(base, "projects")); err != nil {
		t.Fatal(err)
	}
	err := MkdirUnder(base, filepath.Join(base, "projects", "7"))
	if !errors.Is(err, ErrUnsafeDir) || !strings.Contains(err.Error(), filepath.Join(base, "projects")) {
		t.Fatalf("MkdirUnder through a link: %v", err)
	}
	if es, _ := os.ReadDir(outside); len(es) != 0 {
		t.Fatalf("a directory was made outside: %v", es)
	}
	if err := MkdirUnder(base, filepath.Join(base, "a", "b")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(base, "a", "b")); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("MkdirUnder: %v %v", st, err)
	}
	if err := MkdirUnder(base, filepath.Dir(base)); err == nil {
		t.Fatal("MkdirUnder made a directory outside base")
	}
}

func TestTrust17CreateRefusesALinkedPartial(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("original\n"), 0o600)
	os.Symlink(victim, filepath.Join(dir, "b.sql"+PartialSuffix))
	if _, err := Create(dir, "b.sql"); err == nil {
		t.Fatal("Create wrote through a planted partial link")
	}
	if b, _ := os.ReadFile(victim); string(b) != "original\n" {
		t.Fatalf("the linked file changed: %q", b)
	}
}

func TestTrust17CheckDir(t *testing.T) {
	dir := t.TempDir()
	if err := CheckDir(dir); err != nil {
		t.Fatalf("a private dir: %v", err)
	}
	sticky := filepath.Join(t.TempDir(), "tmp")
	os.Mkdir(sticky, 0o700)
	os.Chmod(sticky, 0o777|os.ModeSticky)
	inner := filepath.Join(sticky, "lb")
	os.Mkdir(inner, 0o700)
	if err := CheckDir(inner); err != nil {
		t.Fatalf("a private dir under a sticky shared one (as /tmp): %v", err)
	}
	if err := CheckDir(sticky); err == nil {
		t.Fatal("a world-writable sticky dir itself passed")
	}
	os.Chmod(dir, 0o750)
	if err := CheckDir(dir); err != nil {
		t.Fatalf("a group-readable, not writable, dir: %v", err)
	}
	os.Chmod(dir, 0o770)
	if err := CheckDir(dir); err == nil || !strings.Contains(err.Error(), "its group") {
		t.Fatalf("a group-writable dir: %v", err)
	}
}
