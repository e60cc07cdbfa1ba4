package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/demo"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

const demoDatabase = "app"

// cmdDemo starts a throwaway MariaDB, seeds the demo schema, writes a
// config for it, takes a first backup and opens the screen. Quitting,
// Ctrl-C or a lost session stop the server and remove every file.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageErr("demo takes no arguments")
	}
	if !e.interactive {
		return usageErr("lifeboat demo opens the screen and needs a terminal")
	}
	e.say("starting a throwaway MariaDB …")
	srv, err := sandbox.Start(ctx, sandbox.Options{LogBin: true})
	if err != nil {
		return err
	}
	defer srv.Stop()
	tmp, err := os.MkdirTemp("", "lifeboat-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	e.say("seeding %q with sample data …", demoDatabase)
	if err := seedDemo(ctx, srv); err != nil {
		return err
	}
	cfgPath, err := writeDemoConfig(tmp, srv)
	if err != nil {
		return err
	}
	cfg, err := config.LoadWith(cfgPath, config.LoadOptions{NoOptionFiles: true})
	if err != nil {
		return err
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	e.eng = eng
	e.say("taking a first backup …")
	if _, err := eng.Backup(ctx, engine.BackupOptions{Reason: "demo"}, progress.Nop); err != nil {
		e.say("first backup failed: %v", err)
	}
	return runTUI(ctx, e)
}

func seedDemo(ctx context.Context, srv *sandbox.Server) error {
	root, err := srv.Open("")
	if err != nil {
		return err
	}
	defer root.Close()
	if _, err := root.ExecContext(ctx, "CREATE DATABASE `"+demoDatabase+"` CHARACTER SET utf8mb4"); err != nil {
		return fmt.Errorf("demo: create database: %w", err)
	}
	db, err := srv.Open(demoDatabase)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, stmt := range demo.Schema() {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("demo schema: %w", err)
		}
	}
	_, err = demo.Seed(ctx, db, demo.Options{Scale: 1, Seed: 1})
	return err
}

func writeDemoConfig(dir string, srv *sandbox.Server) (string, error) {
	cfg := map[string]any{
		"database": map[string]any{"socket": srv.Socket, "user": "root", "name": demoDatabase},
		"backup":   map[string]any{"dir": filepath.Join(dir, "backups"), "keep": 20, "compression": "gzip"},
		"projects": demo.ProjectsConfig(),
	}
	var b strings.Builder
	b.WriteString("# written by `lifeboat demo`; removed when it quits\n")
	if err := toml.NewEncoder(&b).Encode(cfg); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "config.toml")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}
