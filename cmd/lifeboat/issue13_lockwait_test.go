package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// Issue 13 item 7: a restore started while another lifeboat holds
// backup.dir says on stderr whom it waits for, read from the lock (action,
// user, pid), even without a terminal, and then fails as busy.
func TestIssue13Item7RestoreSaysOnStderrWhomItWaitsFor(t *testing.T) {
	f := newFixture(t, "")
	b, _ := jsonReply[backupReply](t, f, "backup")
	lk, err := catalog.Take(context.Background(), f.dir, catalog.Request{Action: "backup", User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	r := f.run(t, "restore", b.Backup.Filename, "--yes")
	want := "lifeboat: waiting for the backup started by root at "
	if !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, fmt.Sprintf("(pid %d)…", os.Getpid())) {
		t.Errorf("restore during a backup: stderr %q, want %q… (pid %d)", r.stderr, want, os.Getpid())
	}
	if strings.Count(r.stderr, "waiting for") != 1 {
		t.Errorf("the wait is said more than once: %q", r.stderr)
	}
	if r.code == 0 || !strings.Contains(r.stderr, "backup pid") {
		t.Errorf("restore during a backup: code %d, stderr %q; want busy naming the holder", r.code, r.stderr)
	}
}
