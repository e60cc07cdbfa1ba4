package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

const fullSHA = "9f2c7d51a0b34e6f8c21d9e07a5b3c4d1e2f60718293a4b5c6d7e8f90a1b2ce1"

// bigFake's first backup has a real sha256 and more tables than 24 rows hold.
func bigFake() *fakeBackend {
	f := newFake()
	m := *f.backups[0].Manifest
	m.SHA256 = fullSHA
	m.Tables = map[string]int64{}
	for i := range 20 {
		m.Tables[fmt.Sprintf("app.t%02d", i)] = int64(i * 100)
	}
	f.backups[0].Manifest = &m
	return f
}

func TestIssue13Item5DetailsScroll(t *testing.T) {
	d := newDriver(t, bigFake(), 80, 24)
	d.press("enter")
	d.mustSee("more lines (↓ to scroll)", "app.t00")
	d.mustNotSee("app.t19")
	for range 30 { // past the end: it stops at the last line
		d.press("down")
	}
	d.mustSee("app.t19", "more lines above")
	d.mustNotSee("↓ to scroll")
	d.press("up")
	d.mustSee("↓ to scroll")
	d.press("home")
	d.mustSee("state", "✓ verified")
	d.mustNotSee("more lines above")
}

func TestIssue13Item5DetailsKeysAct(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("enter", "r")
	d.mustSee("Type app to confirm")
	d.press("esc", "d")
	d.mustSee("Delete")
	d.press("n", "v")
	d.settle()
	if !f.called("verify backup_2026-11-23_02-00-00.sql.gz restore=false") {
		t.Fatalf("v in the details did not verify; calls %v", f.calls)
	}
	d.press("V")
	d.settle()
	if !f.called("verify backup_2026-11-23_02-00-00.sql.gz restore=true") {
		t.Fatalf("V in the details did not verify by restoring; calls %v", f.calls)
	}
	d.mustSee("esc back", "v verify", "r restore", "d delete")
}

// At 80 columns the whole checksum shows, wrapped, never cut.
func TestIssue13Item5ShaNeverCut(t *testing.T) {
	for _, w := range []int{60, 80, 120} {
		d := newDriver(t, bigFake(), w, 40)
		d.press("enter")
		flat := strings.ReplaceAll(strings.ReplaceAll(d.screen(), "\n", ""), " ", "")
		if !strings.Contains(flat, fullSHA) {
			t.Fatalf("at %d columns the sha256 is not shown whole:\n%s", w, d.screen())
		}
		if w == 80 {
			golden.RequireEqual(t, d.screen())
		}
	}
}
