package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestCommitIsAtomicAndPrivate(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "a.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.sql")); !os.IsNotExist(err) {
		t.Fatalf("final file visible before commit: %v", err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "a.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, want 0600", st.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(dir, "a.sql.partial")); !os.IsNotExist(err) {
		t.Fatalf("partial left behind: %v", err)
	}
	f.Abort() // after commit: no effect
	if _, err := os.Stat(filepath.Join(dir, "a.sql")); err != nil {
		t.Fatalf("abort after commit removed the file: %v", err)
	}
	if _, err := Create(dir, "a.sql"); !errors.Is(err, os.ErrExist) {
		t.Fatalf("second create of an existing name: %v, want ErrExist", err)
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(dir, "b.sql")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half"))
	f.Abort()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Fatalf("abort left %d entries", len(ents))
	}
}

func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, "m.json", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dir, "m.json", []byte("2")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "m.json"))
	if string(b) != "2" {
		t.Fatalf("content %q, want 2", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("%d entries, want 1", len(ents))
	}
}

func TestExplainNoSpace(t *testing.T) {
	err := Explain(&os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}, "/b/x.sql.gz")
	if !errors.Is(err, ErrNoSpace) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("ENOSPC not recognised: %v", err)
	}
}
