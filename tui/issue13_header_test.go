package tui

import (
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
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

// TestIssue13Item9RestoreDialogSaysReplacedDroppedNewAndViews: the plan
// of the issue (customers in both; newtable and a view only in the
// database; orders only in the backup; a view in the backup): the dialog
// says newtable is dropped, not replaced, orders is new, and counts the
// view apart from the tables.
func TestIssue13Item9RestoreDialogSaysReplacedDroppedNewAndViews(t *testing.T) {
	f := newFake()
	f.plan = engine.RestorePlan{Database: "shop", Exists: true, SafetyBackup: true,
		Tables:   []string{"customers", "newtable", "v_extra"},
		Replaced: []string{"customers"}, Dropped: []string{"newtable", "v_extra"}, Created: []string{"orders"}, Views: []string{"v_customers"}}
	d := newDriver(t, f, 100, 30)
	d.press("r")
	d.mustSee("Replaced with the backup's copy: 1 table: customers",
		"Dropped, not in the backup: newtable, v_extra",
		"New from the backup: 1 table: orders",
		"Views from the backup: 1: v_customers")
	d.mustNotSee("will be replaced:", "3 tables")

	// A database that does not exist: everything is created, views apart.
	f.plan = engine.RestorePlan{Database: "shop", SafetyBackup: false, Created: []string{"a", "b"}, Views: []string{"v"}}
	d = newDriver(t, f, 100, 30)
	d.press("r")
	d.mustSee("Database shop does not exist now; it will be created.", "Created from the backup: 2 tables: a, b", "Views from the backup: 1: v")
	d.mustNotSee("Dropped", "Replaced")
}

func TestIssue13Item9NameListSaysHowManyMore(t *testing.T) {
	got := nameList([]string{"a", "b", "c", "d", "e", "f", "g", "h"})
	if got != "a, b, c, d, e, f, and 2 more" {
		t.Errorf("nameList of 8: %q", got)
	}
}
