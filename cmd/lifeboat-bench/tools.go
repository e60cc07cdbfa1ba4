package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// bench is the shared state of one benchmark: the throwaway server, the
// source database and a private work directory.
type bench struct {
	srv  *engine.Sandbox
	db   *sql.DB // root, no default database
	src  string  // source database name
	work string  // 0700 temp directory for dumps and configs

	lifeboat    string // binary, "" when it could not be built
	lifeboatErr error
	lbConfig    string // config file for lifeboat (0600)
	lbZstd      string // the same with compression = "zstd"
	lbBackups   string // lifeboat's backup.dir

	sums      map[string]int64            // source checksums of the current shape
	shapeSums map[string]map[string]int64 // every loaded shape's checksums
	restores  int                         // counter for target database names
}

// tool is one contender. dump returns the artifact restore reads; restore
// is nil when the tool cannot restore (the read ceiling).
type tool struct {
	name    string
	dump    func(b *bench, ctx context.Context) (sample, string)
	restore func(b *bench, ctx context.Context, artifact, target string) sample
}

func tools() []tool {
	return []tool{
		{name: "mariadb-dump | gzip", dump: (*bench).stockDump, restore: (*bench).stockRestore},
		{name: "mydumper -t 2 -c", dump: (*bench).mydumper, restore: (*bench).myloader},
		{name: "read ceiling (Go, RawBytes)", dump: (*bench).readCeiling},
		{name: "lifeboat", dump: (*bench).lifeboatBackup, restore: (*bench).lifeboatRestore},
		{name: "lifeboat zstd", dump: (*bench).lifeboatBackupZstd},
	}
}

// clientArgs are the connection arguments of the stock tools: the
// sandbox's root needs no password, so none is ever on a command line.
func (b *bench) clientArgs() []string {
	return []string{"--no-defaults", "--socket=" + b.srv.Socket, "--user=root"}
}

func (b *bench) stockDump(ctx context.Context) (sample, string) {
	out := filepath.Join(b.work, "stock.sql.gz")
	f, err := os.OpenFile(out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return sample{Err: err}, ""
	}
	defer f.Close()
	args := append(b.clientArgs(), "--single-transaction", "--routines", "--triggers", b.src)
	dump := exec.CommandContext(ctx, "mariadb-dump", args...)
	gz := exec.CommandContext(ctx, "gzip", "-6")
	gz.Stdout = f
	s := runPipeline(ctx, b.srv.Pid(), dump, gz)
	s.Size = fileSize(out)
	return s, out
}

func (b *bench) stockRestore(ctx context.Context, artifact, target string) sample {
	f, err := os.Open(artifact)
	if err != nil {
		return sample{Err: err}
	}
	defer f.Close()
	unzip := exec.CommandContext(ctx, "gzip", "-dc")
	unzip.Stdin = f
	load := exec.CommandContext(ctx, "mariadb", append(b.clientArgs(), target)...)
	s := runPipeline(ctx, b.srv.Pid(), unzip, load)
	s.Size = fileSize(artifact)
	return s
}

func (b *bench) mydumper(ctx context.Context) (sample, string) {
	dir := filepath.Join(b.work, "mydumper")
	if err := os.RemoveAll(dir); err != nil {
		return sample{Err: err}, ""
	}
	bin, err := exec.LookPath("mydumper")
	if err != nil {
		return sample{Err: errors.New("mydumper is not installed: sudo apt-get install -y mydumper")}, ""
	}
	cmd := exec.CommandContext(ctx, bin, "--socket="+b.srv.Socket, "--user=root",
		"--database="+b.src, "--outputdir="+dir, "--threads=2", "--compress", "--routines", "--triggers")
	s := runPipeline(ctx, b.srv.Pid(), cmd)
	s.Size = dirSize(dir)
	return s, dir
}

func (b *bench) myloader(ctx context.Context, artifact, target string) sample {
	bin, err := exec.LookPath("myloader")
	if err != nil {
		return sample{Err: errors.New("myloader is not installed: sudo apt-get install -y mydumper")}
	}
	cmd := exec.CommandContext(ctx, bin, "--socket="+b.srv.Socket, "--user=root",
		"--directory="+artifact, "--database="+target, "--threads=2", "--overwrite-tables")
	s := runPipeline(ctx, b.srv.Pid(), cmd)
	s.Size = dirSize(artifact)
	return s
}

// newTarget creates an empty database for one restore.
func (b *bench) newTarget(ctx context.Context, tool string) (string, error) {
	b.restores++
	name := fmt.Sprintf("restore_%d", b.restores)
	if _, err := b.db.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)+" CHARACTER SET utf8mb4"); err != nil {
		return "", fmt.Errorf("%s: create database %s: %w", tool, name, err)
	}
	return name, nil
}

func (b *bench) dropTarget(name string) {
	b.db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+quoteIdent(name))
	b.dropPrevious(name) // a swap restore's kept tables (swaprestore.go)
}
