package units

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestIssue13Item11OneSizeConvention(t *testing.T) {
	for n, want := range map[int64]string{-5: "0 B", 0: "0 B", 81_000: "81 kB", 2_400_000: "2.4 MB", 41_000_000_000: "41 GB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
	if Size(uint64(2_400_000)) != Size(2_400_000) {
		t.Error("Size differs between int and uint64")
	}
}

// TestIssue13Item11NoOtherSizeFormatter: no code of lifeboat or its screen
// prints a size by itself, with humanize.Bytes/IBytes or a hand-made MiB:
// everything goes through Size, so one unit convention holds everywhere.
// (cmd/lifeboat-bench, the measuring tool, writes its README tables apart.)
func TestIssue13Item11NoOtherSizeFormatter(t *testing.T) {
	root := filepath.Join("..", "..")
	bad := regexp.MustCompile(`humanize\.I?Bytes\(|"%\.1f [KMG]i?B"|[KMG]iB"`)
	var found []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "lifeboat-bench" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") || strings.HasSuffix(p, filepath.Join("units", "units.go")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if bad.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				found = append(found, p+":"+strings.TrimSpace(line)+" (line "+itoa(i+1)+")")
			}
		}
		return nil
	})
	for _, f := range found {
		t.Errorf("a size printed outside units.Size: %s", f)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
