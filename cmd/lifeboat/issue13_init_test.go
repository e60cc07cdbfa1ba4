package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// Issue 13 item 14: `lifeboat init` with flags (no terminal) tests the
// connection against a real server, writes a 0600 config with comments
// that lifeboat then uses, and never replaces an existing file; a failed
// connection test writes nothing; no password is taken in argv; the
// missing-config error points to `lifeboat init`.
func TestIssue13Item14InitWritesATestedConfig(t *testing.T) {
	d := testdb.New(t)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "LIFEBOAT_CONFIG="}
	dir := filepath.Join(t.TempDir(), "backups")

	r := lifeboat(t, env, "list")
	if r.code != 2 || !strings.Contains(r.stderr, "lifeboat init") {
		t.Fatalf("no config: code %d, stderr %q; want exit 2 pointing to lifeboat init", r.code, r.stderr)
	}

	bad := lifeboat(t, env, "init", "--socket", filepath.Join(home, "nope.sock"), "--user", "root", "--database", d.Name, "--dir", dir)
	def := filepath.Join(home, ".config", "lifeboat", "config.toml")
	if bad.code != 1 || !strings.Contains(bad.stderr, "nothing was written") {
		t.Fatalf("init with a wrong socket: code %d, stderr %q", bad.code, bad.stderr)
	}
	if left, _ := filepath.Glob(filepath.Join(home, ".config", "lifeboat", "*")); len(left) != 0 {
		t.Fatalf("a failed init left %v", left)
	}

	if r := lifeboat(t, env, "init", "--password", "s3cret", "--database", d.Name); r.code != 2 {
		t.Fatalf("init --password: code %d, want a usage error (never a password in argv)", r.code)
	}

	ok := lifeboat(t, env, "init", "--socket", d.Server.Socket, "--user", "root", "--database", d.Name, "--dir", dir)
	if ok.code != 0 {
		t.Fatalf("init: code %d, stderr %q", ok.code, ok.stderr)
	}
	st, err := os.Stat(def)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("config at the default path: %v, mode %v; want 0600", err, st)
	}
	body, _ := os.ReadFile(def)
	for _, s := range []string{"# lifeboat config", "socket = \"" + d.Server.Socket + "\"", "name = \"" + d.Name + "\"", "# [[projects.relation]]"} {
		if !strings.Contains(string(body), s) {
			t.Errorf("config lacks %q:\n%s", s, body)
		}
	}
	if r := lifeboat(t, env, "backup"); r.code != 0 {
		t.Fatalf("backup with the written config: code %d, %s\n%s", r.code, r.stderr, body)
	}

	again := lifeboat(t, env, "init", "--socket", d.Server.Socket, "--user", "root", "--database", "other", "--dir", dir)
	after, _ := os.ReadFile(def)
	if again.code == 0 || !strings.Contains(again.stderr, "already exists") || string(after) != string(body) {
		t.Fatalf("second init: code %d, stderr %q; the file must be left as it was", again.code, again.stderr)
	}

	other := filepath.Join(t.TempDir(), "sub", "lb.toml")
	if r := lifeboat(t, env, "--config", other, "init", "--socket", d.Server.Socket, "--user", "root", "--database", d.Name, "--dir", dir); r.code != 0 {
		t.Fatalf("init --config: code %d, %s", r.code, r.stderr)
	}
	if st, err := os.Stat(other); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("init --config wrote %v (%v)", st, err)
	}
}

// Issue 13 item 14 on a terminal: init asks for each value (a typed
// password is not echoed), tests the connection and writes the config.
func TestIssue13Item14InitAsksOnATerminal(t *testing.T) {
	d := testdb.New(t)
	path := filepath.Join(t.TempDir(), "lifeboat.toml")
	dir := filepath.Join(t.TempDir(), "backups")
	s := startTmux(t, 160, 40, []string{"HOME=" + t.TempDir()}, "--config", path, "init")
	for _, step := range []struct{ prompt, answer string }{
		{"socket (- for a TCP host)", d.Server.Socket},
		{"user [", "root"},
		{"database [", d.Name},
		{"backup dir [", dir},
		{"password (empty", ""},
	} {
		scr := s.waitFor("the prompt "+step.prompt, func(scr string) bool {
			return strings.Contains(scr, step.prompt) || strings.Contains(scr, "EXITED")
		})
		if !strings.Contains(scr, step.prompt) {
			t.Fatalf("init did not ask %q; the screen is:\n%s", step.prompt, scr)
		}
		if step.answer != "" {
			s.keys("-l", step.answer)
		}
		s.keys("Enter")
	}
	scr := s.waitForLong("init to exit", contains("EXITED"))
	if !strings.Contains(scr, "EXITED 0") || !strings.Contains(scr, "wrote "+path) {
		t.Fatalf("init on a terminal; the screen is:\n%s", scr)
	}
	body, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(body), "name = \""+d.Name+"\"") || strings.Contains(string(body), "password =") {
		t.Fatalf("written config (%v):\n%s", err, body)
	}
}
