package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/demo"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// DemoDatabase is the database `lifeboat demo` seeds.
const DemoDatabase = "app"

// Demo is a throwaway MariaDB seeded with the demo schema, and a config
// for it. Stop removes the server and every file.
type Demo struct {
	Config  string // path of the 0600 config file written for it
	Offsite bool   // a local versitygw is its [[remote]] "offsite"
	srv     *sandbox.Server
	gw      *remote.LocalGateway
	tmp     string
}

// DemoOptions choose what StartDemoWith starts besides the server.
type DemoOptions struct {
	// Offsite also starts a local versitygw as the [[remote]] "offsite"
	// when one is built (`lifeboat demo` does; the bench does not).
	Offsite bool
}

// StartDemo starts the throwaway server, seeds it and writes its config,
// with local backups only; say reports each step.
func StartDemo(ctx context.Context, say func(string)) (*Demo, error) {
	return StartDemoWith(ctx, DemoOptions{}, say)
}

// StartDemoWith is StartDemo with options.
func StartDemoWith(ctx context.Context, opts DemoOptions, say func(string)) (*Demo, error) {
	say("starting a throwaway MariaDB …")
	// local_infile on, as on a stock MariaDB: the demo's restores take the
	// LOAD DATA path and its check has no local_infile warning. The
	// sandbox turns it off for the throwaways that load untrusted files.
	srv, err := sandbox.Start(ctx, sandbox.Options{LogBin: true, Extra: []string{"--local-infile=1"}})
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
	if opts.Offsite {
		d.startGateway(ctx, say)
		d.Offsite = d.gw != nil
	}
	if d.Config, err = writeDemoConfig(d.tmp, srv, d.gw); err != nil {
		d.Stop()
		return nil, err
	}
	return d, nil
}

// Stop stops the server and removes its files and the config.
func (d *Demo) Stop() {
	d.gw.Stop()
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

// startGateway starts a local versitygw as the demo's off-site remote
// when one is already built (by `make versitygw` or `make test`); it never
// builds one, so a first demo is not slowed. Without it the demo runs
// with local backups only and says how to add a remote.
func (d *Demo) startGateway(ctx context.Context, say func(string)) {
	bin := remote.GatewayBinary()
	gw, err := remote.StartLocalGateway(ctx, bin, filepath.Join(d.tmp, "offsite"), "lifeboat-demo")
	switch {
	case errors.Is(err, remote.ErrNoGateway):
		say("no off-site copy in this demo: `make versitygw` builds a local S3 server once, and the next `make demo` copies every backup to it; for your own, add a [[remote]] section to the config")
	case err != nil:
		say(fmt.Sprintf("no off-site copy in this demo: the local S3 server did not start: %v", err))
	default:
		say("started a local S3 server (versitygw) as the off-site remote \"offsite\" …")
		d.gw = gw
	}
}

func writeDemoConfig(dir string, srv *sandbox.Server, gw *remote.LocalGateway) (string, error) {
	cfg := map[string]any{
		"database": map[string]any{"socket": srv.Socket, "user": "root", "name": DemoDatabase},
		"backup":   map[string]any{"dir": filepath.Join(dir, "backups"), "keep": config.DefaultKeep, "compression": config.DefaultCompression},
		"projects": demo.ProjectsConfig(),
		// the server logs in binary (sandbox LogBin), and the demo archives it
		"binlog": map[string]any{"archive": true, "keep_days": config.DefaultBinlogKeepDays},
	}
	if gw != nil { // the file is 0600, so it may hold the gateway's secret
		cfg["remote"] = []map[string]any{{"name": "offsite", "type": config.RemoteTypeS3, "endpoint": gw.Endpoint,
			"region": "us-east-1", "bucket": gw.Bucket, "prefix": "demo/", "path_style": true,
			"access_key_id": gw.Access, "secret_access_key": gw.Secret}}
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
