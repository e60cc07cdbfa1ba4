package main

import (
	"strings"
	"testing"
)

// TestHonest16PruneNeedsYesWithoutTerminal (issue 21 item 16): prune
// deletes backups, so without a terminal it refuses unless --yes is given,
// says so, and deletes nothing; --dry-run needs no --yes.
func TestHonest16PruneNeedsYesWithoutTerminal(t *testing.T) {
	f := newFixture(t, "")
	for i := 0; i < 3; i++ {
		f.json(t, "backup")
	}
	r := f.run(t, "prune", "--keep", "1")
	if r.code != 1 || !strings.Contains(r.stderr, "prune: not a terminal: pass --yes to confirm") {
		t.Fatalf("prune without a terminal or --yes: exit %d, stderr %q", r.code, r.stderr)
	}
	out := jsonOf(t, f.run(t, "--json", "prune", "--keep", "1"))
	if out["success"] != false || out["code"] != "not_confirmed" {
		t.Fatalf("prune --json without --yes: %v; want code not_confirmed", out)
	}
	if n := len(f.json(t, "list")["backups"].([]any)); n != 3 {
		t.Fatalf("an unconfirmed prune deleted backups: %d left of 3", n)
	}
	dry := f.json(t, "prune", "--keep", "1", "--dry-run")
	if dry["cleanup_stats"].(map[string]any)["files_deleted"].(float64) != 2 {
		t.Fatalf("dry run without --yes: %v", dry)
	}
	f.json(t, "prune", "--keep", "1", "--yes")
	if n := len(f.json(t, "list")["backups"].([]any)); n != 1 {
		t.Fatalf("prune --yes: %d backups left, want 1", n)
	}
}
