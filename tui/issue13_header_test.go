package tui

import (
	"strings"
	"testing"
)

// TestIssue13Item8LongDirIsShortenedInTheMiddle: at 80 columns a long
// backup.dir is cut in its middle (its start and its last element stay),
// never dropped, and the health, counts and age stay on the line.
func TestIssue13Item8LongDirIsShortenedInTheMiddle(t *testing.T) {
	f := newFake()
	f.status.Dir = "/srv/storage/very/long/mount/point/for/the/nightly/database/backups/lifeboat-prod"
	d := newDriver(t, f, 80, 24)
	line := ""
	for _, l := range strings.Split(d.screen(), "\n") {
		if strings.Contains(l, "✓ writable") {
			line = l
		}
	}
	if !strings.Contains(line, "/srv/") || !strings.Contains(line, "…") || !strings.Contains(line, "lifeboat-prod") {
		t.Fatalf("the long directory is not shortened in the middle:\n%q\n%s", line, d.screen())
	}
	for _, s := range []string{"41 GB free", "12 of 20 kept", "last: 3 h ago"} {
		if !strings.Contains(line, s) {
			t.Errorf("the header line lost %q: %q", s, line)
		}
	}
	if w := len([]rune(strings.TrimRight(line, " "))); w > 80 {
		t.Errorf("the header line is %d wide at 80 columns: %q", w, line)
	}
	// A short directory is shown whole.
	f.status.Dir = "/var/backups/lifeboat"
	d = newDriver(t, f, 80, 24)
	d.mustSee("  /var/backups/lifeboat  ✓ writable")
}

func TestIssue13Item8MiddleCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"/var/backups", 20, "/var/backups"},
		{"/srv/a/b/c/d/e/backups", 12, "/sr…/backups"},
		{"日本語のディレクトリ", 9, "日本…トリ"},
	} {
		if got := middleCut(c.in, c.w); got != c.want {
			t.Errorf("middleCut(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}
