package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/demo"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// DemoDatabase is the database `lifeboat demo` seeds.
const DemoDatabase = "app"

// Demo is a throwaway MariaDB seeded with the demo schema, and a config
// for it. Stop removes the server and every file.
type Demo struct {
	Config string // path of the 0600 config file written for it
	srv    *sandbox.Server
	tmp    string
}

// StartDemo starts the throwaway server, seeds it and writes its config;
// say reports each step.
func StartDemo(ctx context.Context, say func(string)) (*Demo, error) {
	say("starting a throwaway MariaDB …")
	srv, err := sandbox.Start(ctx, sandbox.Options{LogBin: true})
	if err != nil {
		return nil, err
	}
	d := &Demo{srv: srv}
	if d.tmp, err = os.MkdirTemp("", "lifeboat-demo-"); err != nil {
		d.Stop()
		return nil, err
	}
	say(fmt.Sprintf("seeding %q with sample data …", DemoDatabase))
	if err := seedDemo(ctx, srv); err != nil {
		d.Stop()
		return nil, err
	}
	if d.Config, err = writeDemoConfig(d.tmp, srv); err != nil {
		d.Stop()
		return nil, err
	}
	return d, nil
}

// Stop stops the server and removes its files and the config.
func (d *Demo) Stop() {
	d.srv.Stop()
	if d.tmp != "" {
		os.RemoveAll(d.tmp)
	}
}

func seedDemo(ctx context.Context, srv *sandbox.Server) error {
	root, err := srv.Open("")
	if err != nil {
		return err
	}
	defer root.Close()
	if _, err := root.ExecContext(ctx, "CREATE DATABASE `"+DemoDatabase+"` CHARACTER SET utf8mb4"); err != nil {
		return fmt.Errorf("demo: create database: %w", err)
	}
	db, err := srv.Open(DemoDatabase)
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
		"database": map[string]any{"socket": srv.Socket, "user": "root", "name": DemoDatabase},
		"backup":   map[string]any{"dir": filepath.Join(dir, "backups"), "keep": config.DefaultKeep, "compression": config.DefaultCompression},
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

// Server is the demo's running server.
func (d *Demo) Server() *Sandbox { return d.srv }
