package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// pausingFile is the real backup file, but the dump stops once at bytes
// until pause returns: the test looks at the remote in the middle of a dump.
type pausingFile struct {
	*safefile.File
	n, at  int64
	pause  func()
	paused bool
}

func (p *pausingFile) Write(b []byte) (int, error) {
	if !p.paused && p.n >= p.at {
		p.paused = true
		p.pause()
	}
	n, err := p.File.Write(b)
	p.n += int64(n)
	return n, err
}

// pauseDumpAt makes the next backups stop once at 40 MiB and run pause(name).
func pauseDumpAt(t *testing.T, pause func(name string)) {
	orig := createFile
	createFile = func(dir, name string) (backupFile, error) {
		f, err := safefile.Create(dir, name)
		if err != nil {
			return nil, err
		}
		return &pausingFile{File: f, at: 40 << 20, pause: func() { pause(name) }}, nil
	}
	t.Cleanup(func() { createFile = orig })
}

// partsWithin polls the remote until the open upload of key holds want
// parts or the time is up, and returns how many it saw.
func partsWithin(srv *s3test.Server, key string, want int, d time.Duration) int {
	deadline := time.Now().Add(d)
	n := 0
	for time.Now().Before(deadline) {
		n, _, _ = srv.UploadedParts(key)
		if n >= want {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return n
}

// TestRemote07BackupStreamsWhileDumping: with a remote, the backup's
// upload follows the dump. In the middle of the dump the remote already
// holds parts of the file and no manifest; at the end it holds the file,
// byte for byte, and then its manifest, with no upload left open. A
// cancelled backup aborts its upload, and a remote that dies mid-upload
// leaves the local backup complete, "local only", and the next push works.
func TestRemote07BackupStreamsWhileDumping(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE big (id INT PRIMARY KEY, v TEXT)",
		"INSERT INTO big SELECT seq, CONCAT(SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512), SHA2(RAND(),512)) FROM seq_1_to_50000")
	ctx := context.Background()

	t.Run("streamed", func(t *testing.T) {
		srv := s3test.Start(t)
		e := remoteEngine(t, d, srv, "none")
		var seen int
		var manifestEarly bool
		pauseDumpAt(t, func(name string) {
			seen = partsWithin(srv, "db1/"+name, 2, 60*time.Second)
			_, err := os.Stat(srv.Path("db1/" + name + catalog.ManifestSuffix))
			manifestEarly = err == nil
		})
		res, err := e.Backup(ctx, BackupOptions{}, nil)
		if err != nil || len(res.Warnings) != 0 || len(res.Offsite) != 1 || !res.Offsite[0].OK {
			t.Fatalf("backup: %v, warnings %q, offsite %+v", err, res.Warnings, res.Offsite)
		}
		if seen < 2 || manifestEarly {
			t.Fatalf("in the middle of the dump the remote held %d parts (want 2), manifest there: %v", seen, manifestEarly)
		}
		local, _ := os.ReadFile(res.Path)
		got, err := os.ReadFile(srv.Path("db1/" + res.Filename))
		if err != nil || !bytes.Equal(got, local) || int64(len(got)) != res.Size {
			t.Fatalf("remote object: %d bytes (%v), local %d", len(got), err, len(local))
		}
		if _, err := os.Stat(srv.Path("db1/" + res.Filename + catalog.ManifestSuffix)); err != nil {
			t.Fatalf("manifest on the remote: %v", err)
		}
		if open := srv.OpenUploads(t); len(open) != 0 {
			t.Fatalf("uploads left open: %v", open)
		}
		if p := auditActions(t, e.dir(), "push"); len(p) != 1 || p[0].Result != "ok" || !strings.Contains(p[0].Detail, "streamed") {
			t.Fatalf("push audit = %+v", p)
		}
	})

	t.Run("fallback", func(t *testing.T) {
		// A backup file that cannot be read while it is written (here a
		// wrapper that hides it) is pushed whole after the backup.
		srv := s3test.Start(t)
		e := remoteEngine(t, d, srv, "gzip")
		orig := createFile
		createFile = func(dir, name string) (backupFile, error) {
			f, err := safefile.Create(dir, name)
			if err != nil {
				return nil, err
			}
			return struct{ backupFile }{f}, nil
		}
		t.Cleanup(func() { createFile = orig })
		res, err := e.Backup(ctx, BackupOptions{}, nil)
		if err != nil || len(res.Warnings) != 0 || len(res.Offsite) != 1 || !res.Offsite[0].OK {
			t.Fatalf("backup: %v, warnings %q, offsite %+v", err, res.Warnings, res.Offsite)
		}
		local, _ := os.ReadFile(res.Path)
		if got, err := os.ReadFile(srv.Path("db1/" + res.Filename)); err != nil || !bytes.Equal(got, local) {
			t.Fatalf("remote object: %d bytes (%v), local %d", len(got), err, len(local))
		}
		if p := auditActions(t, e.dir(), "push"); len(p) != 1 || p[0].Result != "ok" || !strings.Contains(p[0].Detail, "after backup") {
			t.Fatalf("push audit = %+v", p)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		srv := s3test.Start(t)
		e := remoteEngine(t, d, srv, "none")
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var seen int
		pauseDumpAt(t, func(name string) {
			seen = partsWithin(srv, "db1/"+name, 2, 60*time.Second)
			cancel()
		})
		if _, err := e.Backup(cctx, BackupOptions{}, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled backup: %v", err)
		}
		if seen < 2 {
			t.Fatalf("the upload had %d parts when the backup was cancelled, want 2", seen)
		}
		if open := srv.OpenUploads(t); len(open) != 0 {
			t.Fatalf("a cancelled backup left uploads open: %v", open)
		}
		if objs, _ := os.ReadDir(srv.Path("db1")); len(objs) != 0 {
			t.Fatalf("a cancelled backup left objects: %v", objs)
		}
	})

	t.Run("remote dies", func(t *testing.T) {
		srv := s3test.Start(t)
		e := remoteEngine(t, d, srv, "none")
		killed := false
		pauseDumpAt(t, func(name string) {
			if !killed {
				killed = true
				partsWithin(srv, "db1/"+name, 1, 60*time.Second)
				srv.Kill()
			}
		})
		res, err := e.Backup(ctx, BackupOptions{}, nil)
		if err != nil {
			t.Fatalf("backup with the remote dying: %v", err)
		}
		if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], OffsiteFailedPrefix) || strings.Contains(res.Warnings[0], srv.Secret) {
			t.Fatalf("warnings %q", res.Warnings)
		}
		if en, err := e.listed(res.Filename); err != nil || en.State != StateComplete {
			t.Fatalf("local backup: %+v, %v", en, err)
		}
		srv.Restart()
		if _, err := os.Stat(srv.Path("db1/" + res.Filename + catalog.ManifestSuffix)); err == nil {
			t.Fatal("the manifest reached the remote although the file did not")
		}
		if open := srv.OpenUploads(t); len(open) != 1 || open[0] != "db1/"+res.Filename {
			t.Fatalf("the dead remote kept no parts of the upload it was in (open uploads %v): the next test proves nothing", open)
		}
		// The next backup goes off-site and aborts the orphaned upload.
		next, err := e.Backup(ctx, BackupOptions{}, nil)
		if err != nil || len(next.Warnings) != 0 {
			t.Fatalf("next backup: %v, warnings %q", err, next.Warnings)
		}
		if open := srv.OpenUploads(t); len(open) != 0 {
			t.Fatalf("uploads left open after the next backup: %v", open)
		}
		swept := false
		for _, p := range auditActions(t, e.dir(), "push") {
			swept = swept || (p.Object == next.Filename && strings.Contains(p.Detail, "aborted the open uploads of "+res.Filename))
		}
		if !swept {
			t.Fatalf("the push of %s does not say it aborted the upload of %s: %+v", next.Filename, res.Filename, auditActions(t, e.dir(), "push"))
		}
		if _, err := e.Push(ctx, res.Filename, RemoteOptions{}, nil); err != nil {
			t.Fatalf("next push: %v", err)
		}
		if open := srv.OpenUploads(t); len(open) != 0 {
			t.Fatalf("uploads left open after the next push: %v", open)
		}
		if st, err := os.Stat(srv.Path("db1/" + res.Filename)); err != nil || st.Size() != res.Size {
			t.Fatalf("object after the next push: %v, %v", st, err)
		}
	})
}
