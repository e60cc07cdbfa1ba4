package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTrust14KilledBackupPartialIsCleanedAndShown: a backup killed with
// kill -9 leaves its .partial file; status leaves the file of a backup
// that is still running alone, but removes the orphan once no lifeboat
// holds the directory, says so on stderr (one line per file) and lists it.
func TestTrust14KilledBackupPartialIsCleanedAndShown(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	// Status also cleans throwaway servers of killed runs under the temp
	// dir: give it one of its own, so only this test's leftovers show.
	env := []string{"HOME=" + t.TempDir(), "TMPDIR=" + t.TempDir()}
	status := func() result { return lifeboat(t, env, "--config", f.config, "status") }
	partials := func() []string {
		var out []string
		for _, n := range files(t, f.dir) {
			if strings.HasSuffix(n, ".partial") {
				out = append(out, n)
			}
		}
		return out
	}

	p := f.start(t, f.config, "backup")
	waitFor(t, p, "the backup's .partial file", func() bool { return hasPartial(t, f.dir) })
	// A running backup's partial file is not an orphan.
	r := status()
	if len(partials()) != 1 || strings.Contains(r.stderr, "removed") || !strings.Contains(r.stdout, "in use") {
		t.Fatalf("status during a backup: partials %v, stdout %q, stderr %q", partials(), r.stdout, r.stderr)
	}
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t)
	left := partials()
	if len(left) != 1 {
		t.Fatalf("after kill -9: partial files %v, want the one the backup was writing", left)
	}

	r = status()
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "lifeboat: removed "+left[0]+" ") {
		t.Fatalf("status stderr %q, want one line saying %s was removed", r.stderr, left[0])
	}
	if !strings.Contains(r.stdout, "partial    "+left[0]) || !strings.Contains(r.stdout, "removed") {
		t.Fatalf("status does not list the removed partial file: %q", r.stdout)
	}
	if got := partials(); len(got) != 0 {
		t.Fatalf("partial files still there after status: %v", got)
	}
	if r = status(); strings.Contains(r.stderr, "removed") || strings.Contains(r.stdout, "partial ") {
		t.Fatalf("second status still reports leftovers: %q %q", r.stdout, r.stderr)
	}
}

// TestTrust14KilledVerifyRestoreSandboxIsCleaned: verify --restore killed
// with kill -9 while its throwaway server runs leaves that server's
// directory (a full copy of the data) under the temp dir. The next
// command finds its owner gone, stops any mariadbd left on it, removes
// it and says so.
func TestTrust14KilledVerifyRestoreSandboxIsCleaned(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	tmp, err := os.MkdirTemp("", "lb14-") // short: the sandbox's socket path must fit
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o711); err != nil { // like /tmp: the server's account may pass through
		t.Fatal(err)
	}
	env := []string{"HOME=" + t.TempDir(), "TMPDIR=" + tmp}

	p := &proc{done: make(chan struct{})}
	p.cmd = execLifeboat(env, "--config", f.config, "verify", name, "--restore")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })

	var sock string
	waitFor(t, p, "the throwaway server's socket", func() bool {
		m, _ := filepath.Glob(filepath.Join(tmp, "lifeboat-mariadb-*", "srv", "mysqld.sock"))
		if len(m) == 1 {
			sock = m[0]
		}
		return sock != ""
	})
	dir := filepath.Dir(filepath.Dir(sock))
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	if _, err := os.Stat(filepath.Join(dir, "srv", "data")); err != nil {
		t.Fatalf("kill -9 left no copy of the data to clean (%v): the test proves nothing", err)
	}

	r := lifeboat(t, env, "--config", f.config, "status")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "lifeboat: removed the throwaway server "+dir+" ") {
		t.Fatalf("status stderr %q, want one line saying %s was removed", r.stderr, dir)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("%s still exists after status (%v)", dir, err)
	}
	if pids := serversOnDir(t, dir); len(pids) != 0 {
		t.Fatalf("mariadbd still running on %s: pids %v", dir, pids)
	}
}

// serversOnDir lists processes whose command line mentions dir.
func serversOnDir(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		b, err := os.ReadFile(filepath.Join("/proc", de.Name(), "cmdline"))
		if err == nil && strings.Contains(string(b), dir+"/") {
			if st, err := os.ReadFile(filepath.Join("/proc", de.Name(), "stat")); err == nil && !strings.Contains(string(st), ") Z ") {
				out = append(out, de.Name())
			}
		}
	}
	return out
}

func execLifeboat(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	return cmd
}
