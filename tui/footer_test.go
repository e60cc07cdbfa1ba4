package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// footer is the last non-empty line of the screen: the key help.
func (d *driver) footer() string {
	lines := strings.Split(strings.TrimRight(d.screen(), "\n "), "\n")
	return lines[len(lines)-1]
}

func TestIssue13Item8FilterFooterOffersNoTypedKeys(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	if f := d.footer(); !strings.Contains(f, "q quit") {
		t.Fatalf("normal footer lacks q quit: %q", f)
	}
	d.press("/")
	f := d.footer()
	if strings.Contains(f, "quit") || strings.Contains(f, "help") {
		t.Fatalf("filter footer offers keys that type into the filter: %q", f)
	}
	if !strings.Contains(f, "clear filter") {
		t.Fatalf("filter footer lacks its own keys: %q", f)
	}
}

func TestIssue13Item8NoNewWhileBackupRuns(t *testing.T) {
	f := newFake()
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		<-ctx.Done()
		return engine.BackupResult{}, ctx.Err()
	}
	d := newDriver(t, f, 80, 24)
	if ft := d.footer(); !strings.Contains(ft, "n new") {
		t.Fatalf("idle footer lacks n new: %q", ft)
	}
	d.press("n")
	ft := d.footer()
	if strings.Contains(ft, "n new") || strings.Contains(ft, "r restore") {
		t.Fatalf("footer offers a new job while a backup runs: %q", ft)
	}
	if !strings.Contains(ft, "esc cancel job") || !strings.Contains(ft, "q quit") {
		t.Fatalf("footer lacks cancel/quit while a backup runs: %q", ft)
	}
	d.press("esc", "y")
	d.settle()
}
