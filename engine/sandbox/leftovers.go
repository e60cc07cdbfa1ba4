package sandbox

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DirPrefix starts the name of every sandbox directory under the temp dir.
const DirPrefix = "lifeboat-mariadb-"

// ownerFile, in a sandbox's top directory, names the process that owns it:
// "pid START" with START the kernel's start time of that process (field 22
// of /proc/PID/stat), so a recycled pid is not taken for the owner.
const ownerFile = "owner"

// startGrace is how long a sandbox without an owner record is left alone
// (its owner may be between MkdirTemp and writing the record).
const startGrace = 2 * time.Minute

func writeOwner(dir string) error {
	pid := os.Getpid()
	start, err := procStart(pid)
	if err != nil {
		return fmt.Errorf("sandbox: read own start time: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, ownerFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	_, err = fmt.Fprintf(f, "%d %s\n", pid, start)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// procStart is the start time of process pid, from /proc/PID/stat.
func procStart(pid int) (string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", err
	}
	// The command name (field 2) may hold spaces and parentheses: the
	// fields after it start behind the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return "", fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return "", fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	if f[0] == "Z" || f[0] == "X" { // dead, not yet reaped
		return "", os.ErrNotExist
	}
	return f[19], nil // field 22 overall
}

// Leftover is a sandbox directory whose owner died (kill -9, OOM killer),
// and what CleanStale did about it.
type Leftover struct {
	Dir    string
	Owner  int   // pid of the dead owner; 0 when it left no record
	Killed []int // mariadbd processes still running on it, now killed
	Err    error // why it could not be removed, nil when it was
}

func (l Leftover) String() string {
	who := "no owner record"
	if l.Owner > 0 {
		who = fmt.Sprintf("owner pid %d is gone", l.Owner)
	}
	killed := ""
	if len(l.Killed) > 0 {
		killed = fmt.Sprintf(", stopped its mariadbd (pid %v)", l.Killed)
	}
	if l.Err != nil {
		return fmt.Sprintf("could not remove the throwaway server %s left by a killed lifeboat (%s%s): %v; remove it by hand", l.Dir, who, killed, l.Err)
	}
	return fmt.Sprintf("removed the throwaway server %s left by a killed lifeboat (%s%s)", l.Dir, who, killed)
}

// CleanStale removes the sandbox directories under the temp dir (and /tmp)
// whose
// owner process is gone, after killing any mariadbd still running on
// them. Only directories this user owns are touched; a directory whose
// owner is alive, or that is younger than startGrace and has no owner
// record, is left alone.
func CleanStale() []Leftover {
	var out []Leftover
	for _, tmp := range tempDirs() {
		des, err := os.ReadDir(tmp)
		if err != nil {
			continue
		}
		for _, de := range des {
			if !strings.HasPrefix(de.Name(), DirPrefix) || !de.IsDir() {
				continue
			}
			dir := filepath.Join(tmp, de.Name())
			if l, stale := staleDir(dir); stale {
				out = append(out, removeLeftover(l))
			}
		}
	}
	return out
}

// staleDir decides whether dir is a dead owner's sandbox.
func staleDir(dir string) (Leftover, bool) {
	l := Leftover{Dir: dir}
	st, err := os.Lstat(dir)
	if err != nil || !st.IsDir() {
		return l, false
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); !ok || int(sys.Uid) != os.Geteuid() {
		return l, false // someone else's: not ours to judge
	}
	b, err := readOwner(dir)
	if err != nil {
		// No record: an older lifeboat, or an owner still starting.
		return l, time.Since(st.ModTime()) > startGrace && len(serversOn(dir)) == 0
	}
	var pid int
	var start string
	if _, err := fmt.Sscanf(string(b), "%d %s", &pid, &start); err != nil || pid <= 0 {
		return l, time.Since(st.ModTime()) > startGrace
	}
	l.Owner = pid
	if now, err := procStart(pid); err == nil && now == start {
		return l, false // the owner is alive
	}
	return l, true
}

func readOwner(dir string) ([]byte, error) {
	f, err := os.OpenFile(filepath.Join(dir, ownerFile), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 64)
	n, err := f.Read(b)
	if n == 0 {
		return nil, err
	}
	return b[:n], nil
}

func removeLeftover(l Leftover) Leftover {
	for _, pid := range serversOn(l.Dir) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		l.Killed = append(l.Killed, pid)
	}
	for _, pid := range l.Killed {
		waitGone(pid, 10*time.Second)
	}
	l.Err = os.RemoveAll(l.Dir)
	return l
}

// serversOn lists the live processes whose command line names a file in
// dir as their --datadir: the mariadbd (or install-db's bootstrap server)
// of that sandbox. The command line, not a pid file the server's account
// could write, decides which process is killed.
func serversOn(dir string) []int {
	des, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	want := "--datadir=" + filepath.Join(dir, "srv", "data")
	old := "--datadir=" + filepath.Join(dir, "data") // sandboxes of older lifeboats
	var pids []int
	for _, de := range des {
		pid, err := strconv.Atoi(de.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		b, err := os.ReadFile("/proc/" + de.Name() + "/cmdline")
		if err != nil {
			continue
		}
		for _, arg := range strings.Split(string(b), "\x00") {
			if arg == want || arg == old {
				if _, err := procStart(pid); err == nil {
					pids = append(pids, pid)
				}
				break
			}
		}
	}
	return pids
}

// waitGone polls until pid has exited (or is a zombie), up to limit.
func waitGone(pid int, limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if _, err := procStart(pid); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
