package remote

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// GatewayVersion is the versitygw release `make versitygw` builds.
const GatewayVersion = "v1.8.0"

// GatewayBinary is where `make versitygw` puts versitygw:
// $LIFEBOAT_VERSITYGW, else ~/.cache/lifeboat/versitygw-v1.8.0/versitygw.
func GatewayBinary() string {
	if p := os.Getenv("LIFEBOAT_VERSITYGW"); p != "" {
		return p
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "lifeboat", "versitygw-"+GatewayVersion, "versitygw")
}

// ErrNoGateway is matched when versitygw is not built.
var ErrNoGateway = errors.New("versitygw is not built")

// LocalGateway is a versitygw serving a directory on a loopback port,
// with its own random keys and one bucket: the off-site remote of
// `lifeboat demo`. Stop ends it; its files stay in the directory given.
type LocalGateway struct {
	Endpoint, Access, Secret, Bucket string
	cmd                              *exec.Cmd
}

// StartLocalGateway runs the versitygw at bin over dir (created, 0700)
// and returns once it answers and holds bucket. It never builds
// versitygw: when bin is missing it fails with ErrNoGateway. The keys go
// to versitygw in its environment, never in its argv.
func StartLocalGateway(ctx context.Context, bin, dir, bucket string) (*LocalGateway, error) {
	if st, err := os.Stat(bin); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("%w at %s", ErrNoGateway, bin)
	}
	root, meta := filepath.Join(dir, "root"), filepath.Join(dir, "meta")
	for _, d := range []string{root, meta} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	g := &LocalGateway{Endpoint: "http://" + addr, Access: "lifeboat-" + randomHex(4), Secret: randomHex(20), Bucket: bucket}
	log, err := os.OpenFile(filepath.Join(dir, "versitygw.log"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	g.cmd = exec.Command(bin, "--port", addr, "posix", "--sidecar", meta, root)
	g.cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+g.Access, "ROOT_SECRET_ACCESS_KEY="+g.Secret)
	g.cmd.Stdout, g.cmd.Stderr = log, log
	g.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := g.cmd.Start(); err != nil {
		return nil, fmt.Errorf("versitygw %s: %w", bin, err)
	}
	if err := g.ready(ctx, addr); err != nil {
		g.Stop()
		b, _ := os.ReadFile(log.Name())
		return nil, fmt.Errorf("versitygw on %s: %w (its log: %.300s)", addr, err, b)
	}
	return g, nil
}

// ready waits for the port to answer, then makes the bucket.
func (g *LocalGateway) ready(ctx context.Context, addr string) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("did not listen within 15s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	c, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(g.Access, g.Secret, ""),
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return err
	}
	return c.MakeBucket(ctx, g.Bucket, minio.MakeBucketOptions{})
}

// Stop ends versitygw and waits for it.
func (g *LocalGateway) Stop() {
	if g == nil || g.cmd == nil || g.cmd.Process == nil {
		return
	}
	_ = g.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _, _ = g.cmd.Process.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = g.cmd.Process.Kill()
		<-done
	}
	g.cmd = nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
