package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real binary in a detached tmux at a fixed size,
// the way a sysadmin over SSH would see it.
type tmuxSession struct {
	t    *testing.T
	name string
}

func startTmux(t *testing.T, w, h int, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is needed for the screen test (make deps installs it): %v", err)
	}
	s := &tmuxSession{t: t, name: fmt.Sprintf("lifeboat-test-%d", time.Now().UnixNano())}
	shell := strings.Join(append(env, append([]string{binary}, args...)...), " ") + "; echo EXITED $?; sleep 30"
	cmd := exec.Command("tmux", "new-session", "-d", "-s", s.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), shell)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", s.name).Run() })
	return s
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", s.name}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys %v: %v: %s", keys, err, out)
	}
}

func (s *tmuxSession) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", s.name).Output()
	return string(out)
}

// waitFor polls the screen until ok says yes, failing with the last screen.
func (s *tmuxSession) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	return s.waitUntil(what, ok, 30*time.Second)
}

// waitForLong is waitFor for slow starts (the demo seeds 250k rows).
func (s *tmuxSession) waitForLong(what string, ok func(string) bool) string {
	s.t.Helper()
	return s.waitUntil(what, ok, 3*time.Minute)
}

func (s *tmuxSession) waitUntil(what string, ok func(string) bool, limit time.Duration) string {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		scr := s.screen()
		if ok(scr) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waiting for %s; the screen is:\n%s", what, scr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func contains(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

func TestScreenEndToEnd(t *testing.T) {
	f := newFixture(t, "")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo'),(2,'Gemini')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, title VARCHAR(40), FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1,'launch'),(2,2,'dock')",
	)
	withProjects := f.config + ".projects"
	body, _ := os.ReadFile(f.config)
	os.WriteFile(withProjects, append(body, []byte("\n[projects]\ntable = \"projects\"\n")...), 0o600)
	first := (&fixture{db: f.db, dir: f.dir, config: withProjects}).json(t, "backup")["backup"].(map[string]any)["filename"].(string)

	s := startTmux(t, 80, 24, []string{"HOME=" + t.TempDir()}, "--config", withProjects)
	scr := s.waitFor("the tabs and the first backup", func(s string) bool {
		return strings.Contains(s, "Full backups") && strings.Contains(s, "Projects") && strings.Contains(s, "Activity") && strings.Contains(s, first)
	})
	if strings.Contains(scr, "EXITED") {
		t.Fatalf("the screen exited:\n%s", scr)
	}

	s.keys("n")
	s.waitFor("a second backup", func(scr string) bool { return strings.Count(scr, "backup_") >= 2 && !strings.Contains(scr, "%") })

	s.keys("?")
	s.waitFor("the full help", contains("quit"))
	s.keys("?")

	// Restore the selected backup (both hold the tasks) with the typed name.
	f.db.MustExec(t, "DELETE FROM tasks")
	s.keys("r")
	// The header names the database too: wait for the dialog's own prompt,
	// or the typed name lands on the backups tab as keys (n, d, ...).
	s.waitFor("the restore confirmation", contains("Type "+f.db.Name+" to confirm"))
	s.keys("-l", f.db.Name)
	s.keys("Enter")
	s.waitFor("the restore to finish", func(scr string) bool { return strings.Contains(scr, "restored") })
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM tasks").Scan(&n); err != nil || n != 2 {
		t.Fatalf("after the screen's restore: %d tasks (%v), want 2", n, err)
	}

	s.keys("2")
	s.waitFor("a project", contains("Apollo"))

	s.keys("q")
	scr = s.waitFor("the program to exit", contains("EXITED"))
	if !strings.Contains(scr, "EXITED 0") {
		t.Fatalf("exit status:\n%s", scr)
	}
	if strings.Contains(scr, "Full backups") {
		t.Fatalf("the screen was not cleared on exit:\n%s", scr)
	}
}
