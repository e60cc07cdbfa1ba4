package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Issue 13 item 13: a server that cannot be reached is "connection_failed",
// not "not_found" (a wrong socket is ENOENT underneath).
func TestIssue13Item13ConnectionFailedCode(t *testing.T) {
	dir := t.TempDir()
	cfg := writeConfig(t, fmt.Sprintf("[database]\nname = \"app\"\nuser = \"root\"\nsocket = %q\n[backup]\ndir = %q\n",
		dir+"/no-such.sock", dir+"/backups"), 0o600)
	r := lifeboat(t, []string{"HOME=" + t.TempDir()}, "--config", cfg, "--json", "backup")
	out := decodeJSON[errorReply](t, r)
	if r.code != 1 || out.Success || out.Code != "connection_failed" {
		t.Fatalf("backup with a wrong socket: code %d, reply %+v; want exit 1 and code connection_failed", r.code, out)
	}
}

// Issue 13 item 13: project status of a project that neither exists nor
// has backups fails with not_found instead of answering success.
func TestIssue13Item13MissingProjectStatusFails(t *testing.T) {
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t, "CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))", "INSERT INTO projects VALUES (1,'Apollo')")
	r := f.run(t, "project", "status", "999", "--json")
	out := decodeJSON[errorReply](t, r)
	if r.code != 1 || out.Success || out.Code != "not_found" || !strings.Contains(out.Error, "999") {
		t.Fatalf("project status 999: code %d, reply %+v; want exit 1, not_found naming 999", r.code, out)
	}
	if st, _ := jsonReply[projectStatusReply](t, f, "project", "status", "1"); !st.Success || !st.Exists {
		t.Fatalf("project status 1 (exists): %+v", st)
	}
}

// Issue 13 item 13: list --json carries sha256, databases and compression;
// total is the full count and shown the count after --limit.
func TestIssue13Item13ListTotalShownAndFields(t *testing.T) {
	f := newFixture(t, "")
	for i := 0; i < 2; i++ {
		if r := f.run(t, "backup"); r.code != 0 {
			t.Fatalf("backup: %d %s", r.code, r.stderr)
		}
		if i == 0 {
			time.Sleep(1100 * time.Millisecond) // distinct names
		}
	}
	l, raw := jsonReply[listReply](t, f, "list", "--limit", "1")
	if l.Total != 2 || l.Shown != 1 || len(l.Backups) != 1 {
		t.Fatalf("list --limit 1: total %d shown %d backups %d; want 2, 1, 1", l.Total, l.Shown, len(l.Backups))
	}
	b := l.Backups[0]
	if len(b.SHA256) != 64 || b.Compression != "gzip" || len(b.Databases) != 1 || b.Databases[0] != f.db.Name {
		t.Fatalf("list entry: sha256 %q compression %q databases %v", b.SHA256, b.Compression, b.Databases)
	}
	fields(t, raw["backups"].([]any)[0].(map[string]any), "sha256", "databases", "compression")
}
