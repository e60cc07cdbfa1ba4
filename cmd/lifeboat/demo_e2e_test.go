package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoStartsSeedsAndCleansUp runs `lifeboat demo` as `make demo` does:
// the screen shows the tabs and a first backup of the sample data, and
// quitting leaves no server process and no temporary files behind.
func TestDemoStartsSeedsAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	before := demoLeftovers(t, tmp)
	s := startTmux(t, 80, 24, []string{"TMPDIR=" + tmp, "HOME=" + t.TempDir()}, "demo")
	s.waitForLong("the demo screen with its first backup", func(scr string) bool {
		return strings.Contains(scr, "Full backups") && strings.Contains(scr, "backup_") && strings.Contains(scr, "complete")
	})
	s.keys("2")
	s.waitFor("the demo projects", contains("Checkout Web"))
	if left := demoLeftovers(t, tmp); len(left) == len(before) {
		t.Fatalf("the demo made nothing in TMPDIR=%s while running; the test would prove nothing", tmp)
	}
	s.keys("q")
	scr := s.waitFor("the demo to exit", contains("EXITED"))
	if !strings.Contains(scr, "EXITED 0") {
		t.Fatalf("demo exit:\n%s", scr)
	}
	if left := demoLeftovers(t, tmp); len(left) != 0 {
		t.Fatalf("the demo left %v in %s", left, tmp)
	}
	if procs := mariadbdUnder(tmp); len(procs) > 0 {
		t.Fatalf("mariadbd still running from the demo: %v", procs)
	}
}

func demoLeftovers(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), "lifeboat-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// mariadbdUnder lists mariadbd processes whose command line names dir.
func mariadbdUnder(dir string) []string {
	var found []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmd := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmd, "mariadbd") && strings.Contains(cmd, dir) {
			found = append(found, cmd)
		}
	}
	return found
}
