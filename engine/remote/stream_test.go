package remote_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/remote"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// randomData is n bytes that do not compress, fast to make.
func randomData(n int) []byte {
	r := rand.NewChaCha8([32]byte{1, 2, 3})
	b := make([]byte, n)
	_, _ = r.Read(b)
	return b
}

// growingFile writes data[:n] to a new file and returns it open for
// reading with a Tail that knows those n bytes, plus a func that writes
// the rest and finishes the tail.
func growingFile(t *testing.T, data []byte, n int) (*remote.Tail, func()) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	w, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	r, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	tail := remote.NewTail(r)
	write := func(b []byte) {
		for len(b) > 0 {
			k := min(len(b), 256<<10)
			if _, err := w.Write(b[:k]); err != nil {
				panic(err)
			}
			tail.Grew(k)
			b = b[k:]
		}
	}
	write(data[:n])
	return tail, func() { write(data[n:]); tail.Finish() }
}

// waitParts waits until the open upload of key holds at least want parts.
func waitParts(t *testing.T, srv *s3test.Server, key string, want int) int64 {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		n, b, err := srv.UploadedParts(key)
		if err != nil {
			t.Fatal(err)
		}
		if n >= want {
			return b
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %d parts of %s reached the remote within 60s", want, key)
	return 0
}

// TestRemote06PutTailUploadsWhileTheFileGrows: parts of a file still
// being written reach the remote before its end is written; once it is
// whole, the object is the file, and no upload is left open.
func TestRemote06PutTailUploadsWhileTheFileGrows(t *testing.T) {
	srv := s3test.Start(t)
	st, err := remote.Open(srv.Remote("offsite", "db1/"))
	if err != nil {
		t.Fatal(err)
	}
	data := randomData(3*remote.MinPartSize + 12345)
	tail, rest := growingFile(t, data, 2*remote.MinPartSize+100)
	errc := make(chan error, 1)
	go func() { errc <- st.PutTail(context.Background(), "a.sql", tail, nil) }()
	if b := waitParts(t, srv, "db1/a.sql", 2); b != 2*remote.MinPartSize {
		t.Fatalf("two parts hold %d bytes, want %d", b, 2*remote.MinPartSize)
	}
	select {
	case err := <-errc:
		t.Fatalf("the upload ended before the file did: %v", err)
	default:
	}
	rest()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(srv.Path("db1/a.sql"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("object: %d bytes (%v), want the %d of the file", len(got), err, len(data))
	}
	if open := srv.OpenUploads(t); len(open) != 0 {
		t.Fatalf("uploads left open: %v", open)
	}
}

// TestRemote06PutTailCancelAborts: cancelling a streamed upload aborts
// it on the remote: no multipart upload, no object.
func TestRemote06PutTailCancelAborts(t *testing.T) {
	srv := s3test.Start(t)
	st, _ := remote.Open(srv.Remote("offsite", "db1/"))
	data := randomData(2*remote.MinPartSize + 1)
	tail, _ := growingFile(t, data, len(data)) // never finished: the dump goes on
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- st.PutTail(ctx, "b.sql", tail, nil) }()
	waitParts(t, srv, "db1/b.sql", 2)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled upload: %v", err)
	}
	if open := srv.OpenUploads(t); len(open) != 0 {
		t.Fatalf("a cancelled upload left open uploads: %v", open)
	}
	if _, err := os.Stat(srv.Path("db1/b.sql")); err == nil {
		t.Fatal("a cancelled upload left an object")
	}
}

// TestRemote06PutTailRetriesThroughARestart: the remote goes down for two
// seconds in the middle of a part; the upload retries with backoff and
// finishes with the right bytes, leaving no upload open.
func TestRemote06PutTailRetriesThroughARestart(t *testing.T) {
	srv := s3test.Start(t)
	st, _ := remote.Open(srv.Remote("offsite", ""))
	data := randomData(3*remote.MinPartSize + 7)
	f := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	down := make(chan struct{})
	var sent, killed atomic.Int64
	errc := make(chan error, 1)
	go func() {
		errc <- st.PutTail(context.Background(), "c.sql", remote.Whole(r, int64(len(data))), func(n int64) {
			if sent.Add(n) > remote.MinPartSize+remote.MinPartSize/2 && killed.CompareAndSwap(0, 1) {
				srv.Kill()
				close(down)
			}
		})
	}()
	<-down
	time.Sleep(2 * time.Second)
	srv.Restart()
	if err := <-errc; err != nil {
		t.Fatalf("upload through a restart: %v", err)
	}
	if sent.Load() != int64(len(data)) {
		t.Fatalf("progress counts %d bytes after the retries, want %d", sent.Load(), len(data))
	}
	got, err := os.ReadFile(srv.Path("c.sql"))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("object after the restart: %d bytes (%v), want %d", len(got), err, len(data))
	}
	if open := srv.OpenUploads(t); len(open) != 0 {
		t.Fatalf("uploads left open: %v", open)
	}
}

// TestRemote06StreamPartSizes: parts are never under S3's 5 MiB minimum
// nor over its 5 GiB maximum, grow with the file, and 900 of them (under
// the 1,000 some providers allow) hold more than a 1 TB backup.
func TestRemote06StreamPartSizes(t *testing.T) {
	var prev, sum int64
	for i := range remote.MaxParts {
		p := remote.StreamPartSize(i)
		if p < 5<<20 || p > remote.MaxPartSize || p < prev {
			t.Fatalf("part %d is %d bytes (previous %d)", i, p, prev)
		}
		prev, sum = p, sum+p
	}
	if sum != remote.MaxStreamSize || sum < 1<<40 {
		t.Fatalf("900 parts hold %d bytes (MaxStreamSize %d), want at least 1 TiB", sum, remote.MaxStreamSize)
	}
	t.Logf("900 parts hold %.2f TiB; first part %d MiB", float64(sum)/(1<<40), remote.StreamPartSize(0)>>20)
}
