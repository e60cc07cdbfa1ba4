// Package s3test starts a real S3 server for tests: versitygw on a free
// loopback port, with its own keys, in a temporary directory, stopped
// when the test ends. The binary is built once by `make versitygw`; a
// test that cannot find or start it fails with the reason.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/lifeboat-dev/lifeboat/config"
)

// Version is the versitygw release the Makefile builds.
const Version = "v1.8.0"

// Binary is where the Makefile puts versitygw: $LIFEBOAT_VERSITYGW, else
// $HOME/.cache/lifeboat/versitygw-v1.8.0/versitygw.
func Binary() string {
	if p := os.Getenv("LIFEBOAT_VERSITYGW"); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "lifeboat", "versitygw-"+Version, "versitygw")
}

// Server is one running versitygw.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Access   string
	Secret   string
	Bucket   string
	Root     string // the posix backend's directory: ROOT/BUCKET/KEY
	addr     string
	meta     string
	cmd      *exec.Cmd
	t        testing.TB
}

// Start runs versitygw with a bucket "lifeboat" and returns once it answers.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary()
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("versitygw is needed for the off-site tests and is not at %s (%v): run `make versitygw`, or set LIFEBOAT_VERSITYGW", bin, err)
	}
	dir := t.TempDir()
	s := &Server{Access: "lifeboat-test", Secret: randomHex(16), Bucket: "lifeboat",
		Root: filepath.Join(dir, "root"), meta: filepath.Join(dir, "meta"), t: t}
	for _, d := range []string{s.Root, s.meta} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	s.addr = freeAddr(t)
	s.Endpoint = "http://" + s.addr
	s.Restart()
	t.Cleanup(s.Stop)
	c := s.client()
	if err := c.MakeBucket(context.Background(), s.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("versitygw: make bucket: %v", err)
	}
	return s
}

// Restart starts the server again on the same port and data (after Kill).
func (s *Server) Restart() {
	s.t.Helper()
	// The keys go in the environment, never in argv (ps shows argv).
	cmd := exec.Command(Binary(), "--port", s.addr, "posix", "--sidecar", s.meta, s.Root)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+s.Access, "ROOT_SECRET_ACCESS_KEY="+s.Secret)
	log, err := os.Create(filepath.Join(filepath.Dir(s.Root), "versitygw.log"))
	if err != nil {
		s.t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("versitygw %s: %v", Binary(), err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", s.addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := os.ReadFile(log.Name())
	s.Kill()
	s.t.Fatalf("versitygw did not listen on %s within 15s; its log:\n%s", s.addr, b)
}

// Kill stops the server at once (SIGKILL), as a remote that goes down.
func (s *Server) Kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_, _ = s.cmd.Process.Wait()
	}
	s.cmd = nil
}

// Pause stops the server's process (SIGSTOP) without closing anything:
// a remote that stops answering but keeps its connections open.
func (s *Server) Pause() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGSTOP)
	}
}

// Resume lets a paused server go on (SIGCONT).
func (s *Server) Resume() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGCONT)
	}
}

// Stop ends the server.
func (s *Server) Stop() { s.Kill() }

// Remote is a [[remote]] section for this server.
func (s *Server) Remote(name, prefix string) config.Remote {
	return config.Remote{Name: name, Type: config.RemoteTypeS3, Endpoint: s.Endpoint, Region: "us-east-1",
		Bucket: s.Bucket, Prefix: prefix, AccessKeyID: s.Access, SecretAccessKey: s.Secret, PathStyle: true}
}

// Path is the file that holds object key on disk (to tamper with it).
func (s *Server) Path(key string) string {
	return filepath.Join(s.Root, s.Bucket, filepath.FromSlash(key))
}

// OpenUploads lists the keys of multipart uploads left open in the bucket.
func (s *Server) OpenUploads(t testing.TB) []string {
	t.Helper()
	var out []string
	for u := range s.client().ListIncompleteUploads(context.Background(), s.Bucket, "", true) {
		if u.Err != nil {
			t.Fatalf("list open uploads: %v", u.Err)
		}
		out = append(out, u.Key)
	}
	return out
}

// UploadedParts counts the parts, and their bytes, that the open
// multipart uploads of key hold now. It returns an error rather than
// failing the test, so that it can be called from any goroutine.
func (s *Server) UploadedParts(key string) (parts int, bytes int64, err error) {
	ctx := context.Background()
	c, err := minio.New(s.addr, &minio.Options{Creds: credentials.NewStaticV4(s.Access, s.Secret, ""),
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return 0, 0, err
	}
	core := minio.Core{Client: c}
	ups, err := core.ListMultipartUploads(ctx, s.Bucket, key, "", "", "", 100)
	if err != nil {
		return 0, 0, err
	}
	for _, u := range ups.Uploads {
		if u.Key != key {
			continue
		}
		ps, err := core.ListObjectParts(ctx, s.Bucket, key, u.UploadID, 0, 1000)
		if err != nil {
			return 0, 0, err
		}
		for _, p := range ps.ObjectParts {
			parts++
			bytes += p.Size
		}
	}
	return parts, bytes, nil
}

func (s *Server) client() *minio.Client {
	c, err := minio.New(s.addr, &minio.Options{Creds: credentials.NewStaticV4(s.Access, s.Secret, ""),
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
