package tui

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// waitScreen handles messages until the screen shows want, or fails
// after limit.
func (d *driver) waitScreen(limit time.Duration, want string) time.Duration {
	d.t.Helper()
	start := time.Now()
	for !strings.Contains(d.screen(), want) {
		if time.Since(start) > limit {
			d.t.Fatalf("after %s the screen still does not show %q:\n%s", limit, want, d.screen())
		}
		select {
		case msg := <-d.msgs:
			d.pending--
			d.handle(msg)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return time.Since(start)
}

// A real server stops and starts again under the screen: the indicator
// follows it on the short timer, within seconds each way, and the status
// line says when it is back.
func TestIssue13Item3IndicatorFollowsTheServer(t *testing.T) {
	srv := testdb.NewServer(t, sandbox.Options{})
	root, err := srv.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.Exec("CREATE DATABASE app"); err != nil {
		t.Fatal(err)
	}
	root.Close()
	cfg := &config.Config{
		Database: config.Database{Socket: srv.Socket, User: "root", Name: "app"},
		Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Keep: 20, Compression: "gzip", Timezone: "UTC",
			StaleAfter: config.Duration{Duration: 26 * time.Hour}},
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	d := newDriverWith(t, eng, 100, 30, func(o *Options) { o.PingEvery = time.Second })
	d.mustSee("● connected")

	if err := srv.Halt(); err != nil {
		t.Fatal(err)
	}
	if took := d.waitScreen(5*time.Second, "✗ disconnected"); took > 3*time.Second {
		t.Errorf("the stopped server was noticed only after %s", took)
	}
	if err := srv.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	if took := d.waitScreen(5*time.Second, "● connected"); took > 3*time.Second {
		t.Errorf("the server back was noticed only after %s", took)
	}
	d.mustSee("connected again to")
}

// R re-checks the connection at once, with no timer at all.
func TestIssue13Item3RRechecks(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.mustSee("● connected")
	f.pingErr = errors.New("server db1:3306: dial unix: connection refused")
	d.press("R")
	d.mustSee("✗ disconnected", "connection refused")
	f.pingErr = nil
	d.press("R")
	d.mustSee("● connected", "connected again to db1:3306")
	d.mustNotSee("connection refused")
}
