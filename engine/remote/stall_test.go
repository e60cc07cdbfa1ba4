package remote

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestRemote09StalledRemoteIsGivenUp: a remote that stops answering in
// the middle of an upload without closing its connections (versitygw
// stopped with SIGSTOP) does not hold the upload forever: each attempt
// ends when nothing is sent for stallAfter, and the upload fails saying
// the remote stopped answering. Once it answers again, the next upload
// of that name clears the parts it kept and succeeds.
func TestRemote09StalledRemoteIsGivenUp(t *testing.T) {
	saved := [...]any{stallAfter, abortTimeout, retryWaits}
	stallAfter, abortTimeout, retryWaits = time.Second, time.Second, []time.Duration{100 * time.Millisecond}
	t.Cleanup(func() {
		stallAfter, abortTimeout, retryWaits = saved[0].(time.Duration), saved[1].(time.Duration), saved[2].([]time.Duration)
	})
	srv := s3test.Start(t)
	t.Cleanup(srv.Resume) // before Stop: a stopped process is still killed, but be tidy
	st, err := Open(srv.Remote("offsite", ""))
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 3*MinPartSize)
	_, _ = rand.NewChaCha8([32]byte{9}).Read(data)
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sent, paused atomic.Int64
	start := time.Now()
	err = st.PutTail(context.Background(), "d.sql", Whole(f, int64(len(data))), func(n int64) {
		if sent.Add(n) > MinPartSize+MinPartSize/4 && paused.CompareAndSwap(0, 1) {
			srv.Pause()
		}
	})
	took := time.Since(start)
	if paused.Load() == 0 || err == nil || !strings.Contains(err.Error(), "stopped answering") {
		t.Fatalf("upload to a stopped remote (paused %d): %v", paused.Load(), err)
	}
	if took > 30*time.Second {
		t.Fatalf("the stalled upload took %v to give up", took)
	}
	t.Logf("gave up after %v: %v", took, err)
	srv.Resume()
	// Requests sent while it was stopped (cut part uploads, the abort) now
	// reach it; a late part can bring back the aborted upload's folder.
	time.Sleep(time.Second)
	if err := st.AbortStale(context.Background(), "d.sql"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.PutTail(context.Background(), "d.sql", Whole(f, int64(len(data))), nil); err != nil {
		t.Fatalf("upload once the remote answers again: %v", err)
	}
	if open := srv.OpenUploads(t); len(open) != 0 {
		t.Fatalf("uploads left open: %v", open)
	}
	if got, err := os.Stat(srv.Path("d.sql")); err != nil || got.Size() != int64(len(data)) {
		t.Fatalf("object: %v, %v", got, err)
	}
}
