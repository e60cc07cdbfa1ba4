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
	rr := f.run(t, "--json", "prune", "--keep", "1")
	fields(t, jsonOf(t, rr), "success", "error", "code")
	out := decodeJSON[errorReply](t, rr)
	if out.Success || out.Code != "not_confirmed" {
		t.Fatalf("prune --json without --yes: %+v; want code not_confirmed", out)
	}
	if l, _ := jsonReply[listReply](t, f, "list"); len(l.Backups) != 3 {
		t.Fatalf("an unconfirmed prune deleted backups: %d left of 3", len(l.Backups))
	}
	dry, _ := jsonReply[pruneReply](t, f, "prune", "--keep", "1", "--dry-run")
	if dry.CleanupStats.FilesDeleted != 2 {
		t.Fatalf("dry run without --yes: %+v", dry)
	}
	jsonReply[pruneReply](t, f, "prune", "--keep", "1", "--yes")
	if l, _ := jsonReply[listReply](t, f, "list"); len(l.Backups) != 1 {
		t.Fatalf("prune --yes: %d backups left, want 1", len(l.Backups))
	}
}
