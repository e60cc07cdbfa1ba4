package main

// Off-site rows (issue 20): backup + push to a local versitygw against
// backup alone, pull + restore from it against a local restore, and the
// upload throughput of a push alone. Targets: ≤ 1.15× wall each, peak RSS
// under 150 MB. The versitygw binary is the one `make versitygw` builds.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/dustin/go-humanize"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

const remoteBucket = "lifeboat-bench"

// benchRemote measures the off-site rows; it returns restores that did not
// match the source.
func benchRemote(ctx context.Context, b *bench, runs int, stdout, log io.Writer) (mismatches int, err error) {
	stop, cfg, err := b.startRemote(ctx)
	if err != nil {
		return 0, fmt.Errorf("off-site rows n/a: %w", err)
	}
	defer stop()
	remoteCfg := cfg
	local, pushed := &series{name: "lifeboat backup"}, &series{name: "lifeboat backup + push"}
	lrest, rrest := &series{name: "lifeboat restore"}, &series{name: "lifeboat pull + restore"}
	pushOnly := &series{name: "lifeboat push (alone)"}
	var localName, remoteName string
	for i := 0; i < runs && ctx.Err() == nil; i++ {
		s, name := b.lifeboatBackup(ctx)
		local.add(s)
		b.removeLifeboatBackup(localName)
		localName = name
		s, name = b.withConfig(remoteCfg, func() (sample, string) { return b.lifeboatBackup(ctx) })
		pushed.add(s)
		remoteName = name
		ps, _ := b.withConfig(remoteCfg, func() (sample, string) { s, _ := b.runLifeboat(ctx, "push", name, "--json"); return s, "" })
		ps.Size = s.Size
		pushOnly.add(ps)
	}
	remoteDir := filepath.Join(b.work, "lifeboat-remote-backups")
	restoreWith := func(cfgPath, dir, name string, dropLocal bool, into *series) {
		target, err := b.newTarget(ctx, into.name)
		if err != nil {
			into.add(sample{Err: err})
			return
		}
		defer b.dropTarget(target)
		if dropLocal { // the local disk is lost: restore pulls it, checked, first
			for _, suffix := range []string{"", ".json"} {
				os.Remove(filepath.Join(dir, name+suffix))
			}
		}
		s, _ := b.withConfig(cfgPath, func() (sample, string) {
			s, _ := b.runLifeboat(ctx, restoreArgs(name, target)...)
			return s, ""
		})
		s.Size = fileSize(filepath.Join(dir, name)) // what the restore read (pulled first when dropped)
		if s.Err == nil {
			got, err := tableChecksums(ctx, b.db, target)
			if d := compareChecksums(b.sums, got); err != nil || d != nil {
				mismatches++
				fmt.Fprintf(log, "MISMATCH: %s into %s: %v %v\n", into.name, target, err, d)
			}
		}
		into.add(s)
	}
	for i := 0; i < runs && ctx.Err() == nil && localName != "" && remoteName != ""; i++ {
		restoreWith(b.lbConfig, b.lbBackups, localName, false, lrest)
		restoreWith(remoteCfg, remoteDir, remoteName, true, rrest)
	}
	printTable(stdout, "Off-site (local versitygw)", []*series{local, pushed, pushOnly, lrest, rrest}, local, lrest)
	ts := []target{ratioTarget("backup + push ≤ 1.15× backup", pushed, local, wall, 1.15),
		ratioTarget("pull + restore ≤ 1.15× restore", rrest, lrest, wall, 1.15)}
	for _, s := range []*series{pushed, rrest} {
		t := target{what: s.name + " peak RSS < 150 MB", limit: 150, unit: " MB"}
		if s.ok() {
			t.value, t.known = s.median(rss)/1e6, true
		}
		ts = append(ts, t)
	}
	printTargets(stdout, ts)
	if pushOnly.ok() && pushOnly.median(wall) > 0 {
		fmt.Fprintf(stdout, "\nupload: part size 16 MiB (more for files over 14 GB, at most 900 parts), %s/s for a push alone\n",
			humanize.IBytes(uint64(pushOnly.median(size)/pushOnly.median(wall))))
	}
	return mismatches, nil
}

// withConfig runs f with lifeboat's config switched to path.
func (b *bench) withConfig(path string, f func() (sample, string)) (sample, string) {
	saved := b.lbConfig
	b.lbConfig = path
	defer func() { b.lbConfig = saved }()
	return f()
}

// startRemote starts versitygw on a free loopback port with its own keys
// and writes a lifeboat config with a [[remote]] pointing at it.
func (b *bench) startRemote(ctx context.Context) (stop func(), cfgPath string, err error) {
	if b.lifeboatErr != nil {
		return nil, "", b.lifeboatErr
	}
	bin := os.Getenv("LIFEBOAT_VERSITYGW")
	if bin == "" {
		home, _ := os.UserHomeDir()
		bin = filepath.Join(home, ".cache", "lifeboat", "versitygw-v1.8.0", "versitygw")
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, "", fmt.Errorf("versitygw: %w: run `make versitygw`", err)
	}
	root, meta := filepath.Join(b.work, "s3-root"), filepath.Join(b.work, "s3-meta")
	for _, d := range []string{root, meta} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, "", err
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := l.Addr().String()
	l.Close()
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	access, secret := "bench", hex.EncodeToString(key)
	// The keys go in the environment, never in argv (ps shows argv).
	cmd := exec.CommandContext(ctx, bin, "--port", addr, "posix", "--sidecar", meta, root)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID="+access, "ROOT_SECRET_ACCESS_KEY="+secret)
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop = func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	c, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(access, secret, ""), Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	for i := 0; err == nil && i < 100; i++ {
		if err = c.MakeBucket(ctx, remoteBucket, minio.MakeBucketOptions{}); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
		err = nil
		if i == 99 {
			err = fmt.Errorf("versitygw on %s did not answer", addr)
		}
	}
	if err != nil {
		stop()
		return nil, "", err
	}
	cfgPath = filepath.Join(b.work, "lifeboat-remote.toml")
	cfg := map[string]any{
		"database": map[string]any{"socket": b.srv.Socket, "user": "root", "name": b.src},
		"backup":   map[string]any{"dir": filepath.Join(b.work, "lifeboat-remote-backups"), "keep": 1000, "compression": "gzip"},
		"remote": []map[string]any{{"name": "bench", "endpoint": "http://" + addr, "region": "us-east-1", "bucket": remoteBucket,
			"prefix": "bench/", "access_key_id": access, "secret_access_key": secret, "path_style": true, "keep": 1000}},
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
		stop()
		return nil, "", err
	}
	return stop, cfgPath, os.WriteFile(cfgPath, buf.Bytes(), 0o600)
}
