package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
)

// TestDemoStartsSeedsAndCleansUp runs `lifeboat demo` as `make demo` does:
// the screen shows the tabs and a first backup of the sample data, and
// quitting leaves no server process and no temporary files behind.
// Without a built versitygw it runs with local backups only and says how
// to add a remote.
func TestDemoStartsSeedsAndCleansUp(t *testing.T) {
	tmp := t.TempDir()
	before := demoLeftovers(t, tmp)
	s := startTmux(t, 80, 24, []string{"TMPDIR=" + tmp, "HOME=" + t.TempDir(), "LIFEBOAT_VERSITYGW=" + filepath.Join(tmp, "none")}, "demo")
	s.waitForLong("the demo screen with its first backup", func(scr string) bool {
		return strings.Contains(scr, "Full backups") && strings.Contains(scr, "backup_") && strings.Contains(scr, "complete")
	})
	demoIncidentListed(t, tmp)
	s.keys("2")
	s.waitFor("the demo projects", contains("Checkout Web"))
	if left := demoLeftovers(t, tmp); len(left) == len(before) {
		t.Fatalf("the demo made nothing in TMPDIR=%s while running; the test would prove nothing", tmp)
	}
	s.keys("q")
	scr := s.waitFor("the demo to exit", contains("EXITED"))
	if !strings.Contains(scr, "EXITED 0") || !strings.Contains(scr, "make versitygw") {
		t.Fatalf("demo exit, with its hint to add a remote:\n%s", scr)
	}
	if left := demoLeftovers(t, tmp); len(left) != 0 {
		t.Fatalf("the demo left %v in %s", left, tmp)
	}
	if procs := mariadbdUnder(tmp); len(procs) > 0 {
		t.Fatalf("mariadbd still running from the demo: %v", procs)
	}
}

// TestDemoWithVersitygwShowsOffsite: with versitygw built, the demo also
// starts it as its remote, so the first backup shows local+offsite in the
// WHERE column; quitting stops versitygw and the server and removes
// their files.
func TestDemoWithVersitygwShowsOffsite(t *testing.T) {
	tmp := t.TempDir()
	if _, err := os.Stat(s3test.Binary()); err != nil {
		t.Fatalf("versitygw is needed (make versitygw): %v", err)
	}
	s := startTmux(t, 120, 30, []string{"TMPDIR=" + tmp, "HOME=" + t.TempDir(), "LIFEBOAT_VERSITYGW=" + s3test.Binary()}, "demo")
	s.waitForLong("the demo's first backup, local and off-site", func(scr string) bool {
		return strings.Contains(scr, "WHERE") && strings.Contains(scr, "local+offsite") && strings.Contains(scr, "backup_")
	})
	if gw := versitygwUnder(tmp); len(gw) != 1 {
		t.Fatalf("versitygw processes of the demo: %v", gw)
	}
	s.keys("q")
	if scr := s.waitFor("the demo to exit", contains("EXITED")); !strings.Contains(scr, "EXITED 0") {
		t.Fatalf("demo exit:\n%s", scr)
	}
	if left := demoLeftovers(t, tmp); len(left) != 0 {
		t.Fatalf("the demo left %v in %s", left, tmp)
	}
	if procs := append(mariadbdUnder(tmp), versitygwUnder(tmp)...); len(procs) > 0 {
		t.Fatalf("still running from the demo: %v", procs)
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
	return processesUnder(dir, func(args []string) bool { return strings.Contains(strings.Join(args, " "), "mariadbd") })
}

// versitygwUnder lists versitygw processes (not a shell naming it) whose
// command line names dir.
func versitygwUnder(dir string) []string {
	return processesUnder(dir, func(args []string) bool { return filepath.Base(args[0]) == "versitygw" })
}

func processesUnder(dir string, is func(args []string) bool) []string {
	var found []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		args := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
		if cmd := strings.Join(args, " "); is(args) && strings.Contains(cmd, dir) {
			found = append(found, cmd)
		}
	}
	return found
}
