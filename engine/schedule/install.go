package schedule

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// DefaultDir is where systemd looks for units an administrator installs.
const DefaultDir = "/etc/systemd/system"

// DirEnv overrides DefaultDir (for tests and reviews); systemctl is never
// run for units written anywhere else than DefaultDir.
const DirEnv = "LIFEBOAT_SYSTEMD_DIR"

// Dir is the unit directory: DirEnv when set, else DefaultDir.
func Dir() string {
	if d := os.Getenv(DirEnv); d != "" {
		return d
	}
	return DefaultDir
}

// SystemdRunning reports whether systemd is the init system here (the
// test sd_booted(3) makes).
func SystemdRunning() bool {
	st, err := os.Stat("/run/systemd/system")
	return err == nil && st.IsDir()
}

// ours marks the files lifeboat wrote; others are never overwritten.
const ours = "# Written by lifeboat schedule install"

// Write puts each unit into dir (mode 0644, written whole then renamed),
// refusing to replace a file lifeboat did not write. It returns the paths.
func Write(dir string, units []Unit) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	for _, u := range units {
		p := filepath.Join(dir, u.Name)
		b, err := os.ReadFile(p)
		if err == nil && !strings.HasPrefix(string(b), ours) {
			return nil, fmt.Errorf("schedule: %s exists and was not written by lifeboat: move it away or merge it by hand; nothing was written", p)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("schedule: %w", err)
		}
	}
	var paths []string
	for _, u := range units {
		p := filepath.Join(dir, u.Name)
		if err := safefile.WriteFile(dir, u.Name, []byte(u.Text)); err != nil {
			return paths, fmt.Errorf("schedule: write %s: %w", p, err)
		}
		// Units hold no secret; 0644 as systemd's own, so status can read them.
		if err := os.Chmod(p, 0o644); err != nil {
			return paths, fmt.Errorf("schedule: %w", err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Enable reloads systemd and starts the timers (and the follower) now and
// at every boot.
func Enable(ctx context.Context, units []Unit) error {
	if err := systemctl(ctx, "daemon-reload"); err != nil {
		return err
	}
	var start []string
	for _, u := range units {
		if strings.HasSuffix(u.Name, ".timer") || u.Name == BinlogService {
			start = append(start, u.Name)
		}
	}
	return systemctl(ctx, append([]string{"enable", "--now"}, start...)...)
}

func systemctl(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "systemctl", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("systemctl %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
