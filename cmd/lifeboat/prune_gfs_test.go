package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestIssue13Item12PruneSaysWhyAndPlainEnglish (issue 13 item 12): prune
// without a terminal still needs --yes; prune --keep 1 keeping 2 names
// the newest verified backup as the reason, per file and in the summary;
// the summary says "would delete 2 files", not "2 file(s) would delete";
// prune --json lists each file with the rules that keep it.
func TestIssue13Item12PruneSaysWhyAndPlainEnglish(t *testing.T) {
	f := newFixture(t, "")
	var names []string
	for i := 0; i < 4; i++ {
		names = append(names, f.json(t, "backup")["backup"].(map[string]any)["filename"].(string))
	}
	// keep = 3 in the fixture: the 4th backup's auto-prune removed the oldest.
	names = names[1:]
	oldest := names[0]
	f.json(t, "verify", oldest)

	if r := f.run(t, "prune", "--keep", "1"); r.code != 1 || !strings.Contains(r.stderr, "pass --yes") {
		t.Fatalf("prune without a terminal or --yes: exit %d, stderr %q", r.code, r.stderr)
	}
	r := f.run(t, "prune", "--keep", "1", "--dry-run")
	if r.code != 0 {
		t.Fatalf("dry run: %d %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "would delete 1 file,") || strings.Contains(r.stderr, "file(s)") {
		t.Errorf("dry-run summary %q; want \"would delete 1 file\"", r.stderr)
	}
	if !strings.Contains(r.stderr, "kept 1 beyond the newest 1: "+oldest+" (the newest verified backup)") {
		t.Errorf("dry run does not say why %s stays: %q", oldest, r.stderr)
	}
	for _, want := range []string{
		"keep   " + names[2] + ": keep: one of the newest 1",
		"would delete " + names[1] + ": no rule keeps it",
		"keep   " + oldest + ": the newest verified backup",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run stdout lacks %q:\n%s", want, r.stdout)
		}
	}

	dry, raw := jsonReply[pruneReply](t, f, "prune", "--keep", "1", "--dry-run")
	if _, ok := raw["files"]; !ok || len(dry.Files) != 3 {
		t.Fatalf("prune --json files: %+v", dry.Files)
	}
	rules := map[string]string{}
	for _, fl := range dry.Files {
		rules[fl.Filename] = strings.Join(fl.Rules, ",")
	}
	if rules[names[2]] != "keep" || rules[names[1]] != "" || rules[oldest] != "newest_verified" {
		t.Errorf("prune --json rules %v", rules)
	}

	// Two more backups: the real prune deletes 2 files and says so in English.
	f.json(t, "backup")
	f.json(t, "backup")
	r = f.run(t, "prune", "--keep", "1", "--yes")
	if r.code != 0 || !regexp.MustCompile(`Backup cleanup completed: deleted 2 files, .* freed, 2 kept`).MatchString(r.stderr) {
		t.Errorf("prune --yes: %d %q", r.code, r.stderr)
	}
}
