package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var (
	citedTest   = regexp.MustCompile(`\b(?:Test|Fuzz|Benchmark)[A-Z0-9_]\w*`)
	definedTest = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Z0-9_]\w*)\(`)
)

// TestHonest11ReadmeCitesOnlyRealTests (issue 21 item 11): every test the
// README cites for a promise (Test..., Fuzz..., Benchmark...) is a
// function in some *_test.go of the module, so a renamed or deleted test
// cannot leave a promise citing nothing.
func TestHonest11ReadmeCitesOnlyRealTests(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != root || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range definedTest.FindAllSubmatch(b, -1) {
			defined[string(m[1])] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !defined["TestHonest11ReadmeCitesOnlyRealTests"] {
		t.Fatalf("the walk of %s found %d tests, not even this one", root, len(defined))
	}
	cited := citedTest.FindAllString(string(readme), -1)
	if len(cited) < 20 {
		t.Fatalf("README.md cites %d tests; the citation pattern no longer matches how it cites them", len(cited))
	}
	var missing []string
	for _, name := range cited {
		if !defined[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("README.md cites tests that do not exist in any *_test.go: %s", strings.Join(missing, ", "))
	}
}
