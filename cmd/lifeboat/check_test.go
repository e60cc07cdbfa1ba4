package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestCheckCLIExitCodesAndJSON: check speaks the monitoring-plugin
// convention: CRITICAL (2) with no backup, OK (0) after one, WARNING (1)
// once the newest is older than stale_after (and the webhook hears the
// stale event), UNKNOWN (3) for a config error, never the usage code.
func TestCheckCLIExitCodesAndJSON(t *testing.T) {
	var mu sync.Mutex
	var events []map[string]any
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var ev map[string]any
		json.Unmarshal(b, &ev)
		mu.Lock()
		events = append(events, ev)
		mu.Unlock()
	}))
	defer hook.Close()
	f := newFixture(t, "\n[notify]\nwebhook = \""+hook.URL+"\"\n")
	setLocalInfile(t, f.db.DB, true) // else check warns about it (infile_e2e_test.go)

	r := f.run(t, "check")
	if r.code != 2 || !strings.HasPrefix(r.stdout, "LIFEBOAT CRITICAL - ") || !strings.Contains(r.stdout, "lifeboat backup") {
		t.Fatalf("no backup yet: code %d %q %q", r.code, r.stdout, r.stderr)
	}
	if b := f.run(t, "backup"); b.code != 0 {
		t.Fatalf("backup: %d %s", b.code, b.stderr)
	}
	r = f.run(t, "check", "--json")
	var rep checkReply
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 || rep.Status != "OK" || rep.Problems == nil {
		t.Fatalf("after a backup: code %d %q (%v)", r.code, r.stdout, err)
	}

	// The same directory with a stale_after the backup is already past.
	stale := newFixtureConfig(t, f, "stale_after = \"1ms\"")
	stale = writeConfig(t, readFile(t, stale)+"\n[check]\ncritical_after = \"1h\"\n", 0o600)
	r = lifeboat(t, []string{"HOME=" + t.TempDir()}, "--config", stale, "check", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 1 || rep.Status != "WARNING" ||
		len(rep.Problems) != 1 || rep.Problems[0].Check != "backup_age" {
		t.Fatalf("stale: code %d %q", r.code, r.stdout)
	}
	mu.Lock()
	n := len(events)
	// The first check (no backup at all) was stale too; this one names the backup.
	ok := n == 2 && events[0]["event"] == "stale" && events[1]["event"] == "stale" && events[1]["summary"] == rep.Summary
	mu.Unlock()
	if !ok {
		t.Errorf("webhook got %d events %v, want two stale events, the last with the summary", n, events)
	}

	bad := writeConfig(t, strings.Replace(readFile(t, f.config), "[notify]", "[check]\nbogus = 1\n[notify]", 1), 0o600)
	r = lifeboat(t, nil, "--config", bad, "check")
	if r.code != 3 || !strings.HasPrefix(r.stdout, "LIFEBOAT UNKNOWN - ") || !strings.Contains(r.stdout, "bogus") {
		t.Errorf("config error: code %d %q %q, want UNKNOWN (3) naming the key", r.code, r.stdout, r.stderr)
	}
	bad = writeConfig(t, strings.Replace(readFile(t, f.config), "[notify]", "[notify]\non = [\"sometimes\"]", 1), 0o600)
	if r = lifeboat(t, nil, "--config", bad, "check"); r.code != 3 || !strings.Contains(r.stdout, "notify.on") {
		t.Errorf("bad notify.on: code %d %q", r.code, r.stdout)
	}
}

// TestMetricsCLIOutputFile: metrics --output writes the textfile.
func TestMetricsCLIOutputFile(t *testing.T) {
	f := newFixture(t, "")
	if b := f.run(t, "backup"); b.code != 0 {
		t.Fatalf("backup: %d %s", b.code, b.stderr)
	}
	out := filepath.Join(t.TempDir(), "lifeboat.prom")
	if r := f.run(t, "metrics", "--output", out); r.code != 0 {
		t.Fatalf("metrics: %d %s", r.code, r.stderr)
	}
	body := readFile(t, out)
	if !strings.Contains(body, `lifeboat_backups{location="local"} 1`) || !strings.Contains(body, `lifeboat_last_success_timestamp_seconds{action="create"}`) {
		t.Errorf("metrics file:\n%s", body)
	}
	if r := f.run(t, "metrics"); r.code != 0 || !strings.Contains(r.stdout, `lifeboat_backups{location="local"} 1`) {
		t.Errorf("metrics to stdout: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// newFixtureConfig is f's config with lines added to [backup].
func newFixtureConfig(t *testing.T, f *fixture, lines string) string {
	t.Helper()
	return writeConfig(t, strings.Replace(readFile(t, f.config), "[backup]\n", "[backup]\n"+lines+"\n", 1), 0o600)
}
