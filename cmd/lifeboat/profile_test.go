package main

import (
	"os"
	"path/filepath"
	"testing"
)

// LIFEBOAT_CPUPROFILE writes a CPU profile (gzip-compressed protobuf, as
// go tool pprof reads it) of the run, 0600; without it nothing is written.
func TestCPUProfileOnRequest(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	if r := lifeboat(t, []string{"LIFEBOAT_CPUPROFILE=" + path}, "version"); r.code != 0 {
		t.Fatalf("version with a profile: %d %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("profile %s: %d bytes (%v), want a gzip-compressed pprof profile", path, len(b), err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("profile mode %v, want 0600", st.Mode().Perm())
	}
}
