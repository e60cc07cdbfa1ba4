package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// prepareLifeboat finds or builds the lifeboat binary and writes a config
// (0600) pointing at the sandbox and a private backup directory. Failures
// are kept in b.lifeboatErr, so that lifeboat's rows read "n/a".
func (b *bench) prepareLifeboat(ctx context.Context, binary string) {
	if binary == "" {
		binary = filepath.Join(b.work, "lifeboat")
		build := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/lifeboat")
		if out, err := build.CombinedOutput(); err != nil {
			b.lifeboatErr = fmt.Errorf("go build ./cmd/lifeboat: %v: %s", err, tailLines(string(out), 3))
			return
		}
	}
	if _, err := os.Stat(binary); err != nil {
		b.lifeboatErr = fmt.Errorf("lifeboat binary: %w", err)
		return
	}
	if abs, err := filepath.Abs(binary); err == nil {
		binary = abs
	}
	b.lifeboat = binary
	b.lbBackups = filepath.Join(b.work, "lifeboat-backups")
	if err := os.MkdirAll(b.lbBackups, 0o700); err != nil {
		b.lifeboatErr = err
		return
	}
	b.lbConfig = filepath.Join(b.work, "lifeboat.toml")
	b.lbZstd = filepath.Join(b.work, "lifeboat-zstd.toml")
	for path, compression := range map[string]string{b.lbConfig: "gzip", b.lbZstd: "zstd"} {
		if err := b.writeLifeboatConfig(path, compression); err != nil {
			b.lifeboatErr = err
			return
		}
	}
}

// writeLifeboatConfig writes a 0600 config for the bench server; the
// sandbox's root has no password, so none is written anywhere.
func (b *bench) writeLifeboatConfig(path, compression string) error {
	cfg := map[string]any{
		"database": map[string]any{"socket": b.srv.Socket, "user": "root", "name": b.src},
		"backup":   map[string]any{"dir": b.lbBackups, "keep": 1000, "compression": compression},
	}
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// lifeboatReply is the part of `--json` output the bench reads.
type lifeboatReply struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
	Backup  struct {
		Filename string `json:"filename"`
		Filepath string `json:"filepath"`
		Filesize int64  `json:"filesize"`
	} `json:"backup"`
	Restore struct {
		Mode         string `json:"mode"`
		ModeReason   string `json:"mode_reason"`
		SwapWindowMS int64  `json:"swap_window_ms"`
		Previous     string `json:"previous"`
	} `json:"restore"`
}

func (b *bench) runLifeboat(ctx context.Context, args ...string) (sample, lifeboatReply) {
	var reply lifeboatReply
	if b.lifeboatErr != nil {
		return sample{Err: b.lifeboatErr}, reply
	}
	cmd := exec.CommandContext(ctx, b.lifeboat, append([]string{"--config", b.lbConfig}, args...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout = &out
	s := runPipeline(ctx, b.srv.Pid(), cmd)
	jsonErr := json.Unmarshal(out.Bytes(), &reply)
	switch {
	case reply.Error != "":
		s.Err = errors.New(reply.Error)
	case s.Err != nil:
	case jsonErr != nil:
		s.Err = fmt.Errorf("lifeboat %s: unreadable --json output: %v", args[0], jsonErr)
	case !reply.Success:
		s.Err = fmt.Errorf("lifeboat %s: success=false", args[0])
	}
	return s, reply
}

func (b *bench) lifeboatBackup(ctx context.Context) (sample, string) {
	s, reply := b.runLifeboat(ctx, "backup", "--json")
	if s.Err != nil {
		return s, ""
	}
	path := reply.Backup.Filepath
	if path == "" {
		path = filepath.Join(b.lbBackups, reply.Backup.Filename)
	}
	if s.Size = fileSize(path); s.Size == 0 {
		s.Size = reply.Backup.Filesize
	}
	return s, reply.Backup.Filename
}

// lifeboatBackupZstd is a backup with compression = "zstd", measured for
// the read-ceiling target only; its file is removed at once.
func (b *bench) lifeboatBackupZstd(ctx context.Context) (sample, string) {
	gzipConfig := b.lbConfig
	b.lbConfig = b.lbZstd
	defer func() { b.lbConfig = gzipConfig }()
	s, name := b.lifeboatBackup(ctx)
	b.removeLifeboatBackup(name)
	return s, ""
}

// removeLifeboatBackup deletes an earlier run's backup and manifest, so
// that repeated runs do not fill the disk.
func (b *bench) removeLifeboatBackup(name string) {
	if name == "" || b.lbBackups == "" {
		return
	}
	for _, suffix := range []string{"", ".json"} {
		os.Remove(filepath.Join(b.lbBackups, name+suffix))
	}
}
