package sandbox_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// TestTrust14CleanStaleRemovesOnlyDeadOwnersSandboxes: a sandbox whose
// owner record names a dead process is removed, with the mariadbd still
// running on it killed; a live owner's sandbox is left alone.
func TestTrust14CleanStaleRemovesOnlyDeadOwnersSandboxes(t *testing.T) {
	tmp, err := os.MkdirTemp("", "lb14s-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o711); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TMPDIR", tmp)

	live, err := sandbox.Start(context.Background(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Stop()
	orphan, err := sandbox.Start(context.Background(), sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer orphan.Stop()
	// Make the orphan's owner a process that has exited.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(orphan.Dir, "owner"), fmt.Appendf(nil, "%d 1\n", dead.Process.Pid), 0o600); err != nil {
		t.Fatal(err)
	}
	serverPid := orphan.Pid()

	got := sandbox.CleanStale()
	if len(got) != 1 || got[0].Dir != orphan.Dir || got[0].Err != nil || got[0].Owner != dead.Process.Pid {
		t.Fatalf("CleanStale = %+v, want only %s removed", got, orphan.Dir)
	}
	if len(got[0].Killed) != 1 || got[0].Killed[0] != serverPid {
		t.Errorf("killed %v, want the orphan's mariadbd %d", got[0].Killed, serverPid)
	}
	if _, err := os.Stat(orphan.Dir); !os.IsNotExist(err) {
		t.Errorf("orphan %s still exists (%v)", orphan.Dir, err)
	}
	db, err := live.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatalf("the live sandbox was harmed: %v", err)
	}
	if again := sandbox.CleanStale(); len(again) != 0 {
		t.Fatalf("second CleanStale = %+v", again)
	}
}
