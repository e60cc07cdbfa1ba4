package engine

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// badName is a name the catalog must refuse and the words its refusal says.
type badName struct {
	name, says string
	err        error // catalog.ErrBadName or os.ErrNotExist
}

// plantBadNames (issue 21 item 1) puts a file wherever a name that slipped
// past the checks would land: dir/../../etc/passwd, an absolute path and
// where filepath.Join(dir, that path) goes, a symlink's target. A missing
// check then reaches a real file instead of failing on a missing one. It
// returns the names and the files that must still exist afterwards.
func plantBadNames(t *testing.T, dir, backup string) ([]badName, []string) {
	t.Helper()
	plant := func(p string) string {
		t.Helper()
		if !strings.HasPrefix(p, os.TempDir()) {
			t.Fatalf("%s is outside the temporary directory; refusing to plant a file there", p)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	abs := plant(filepath.Join(t.TempDir(), "victim.sql.gz"))
	outside := plant(filepath.Join(t.TempDir(), "precious.sql"))
	if err := os.Symlink(outside, filepath.Join(dir, "link.sql")); err != nil {
		t.Fatal(err)
	}
	keep := []string{
		plant(filepath.Join(dir, "..", "..", "etc", "passwd")),
		abs, plant(filepath.Join(dir, abs)), outside, filepath.Join(dir, "link.sql"),
		plant(filepath.Join(dir, catalog.LockName)),
		plant(filepath.Join(dir, "a")), // what a NUL-truncating call would reach
		plant(filepath.Join(dir, "audit.log")),
		filepath.Join(dir, backup), filepath.Join(dir, catalog.ManifestName(backup)),
	}
	bad := []badName{
		{"../../etc/passwd", "is a path", catalog.ErrBadName},
		{abs, "is a path", catalog.ErrBadName},
		{"..", "is a path", catalog.ErrBadName},
		{"", "empty name", catalog.ErrBadName},
		{"a\x00b.sql", "NUL byte", catalog.ErrBadName},
		{"link.sql", "is a symlink", catalog.ErrBadName},
		{catalog.LockName, "hidden file", catalog.ErrBadName},
		{catalog.ManifestName(backup), "is not a backup", catalog.ErrBadName},
		{"audit.log", "is not a backup", catalog.ErrBadName},
		{"backup_1999-01-01_00-00-00.sql.gz", `no backup named "backup_1999-01-01_00-00-00.sql.gz"`, os.ErrNotExist},
	}
	return bad, keep
}

// checkRefused fails unless err is the refusal bad names.
func checkRefused(t *testing.T, op string, b badName, err error) {
	t.Helper()
	if !errors.Is(err, b.err) || !strings.Contains(err.Error(), b.says) {
		t.Errorf("%s(%q): %v; want %v saying %q", op, b.name, err, b.err, b.says)
	}
}

// checkStillThere fails for each planted file a refused call removed.
func checkStillThere(t *testing.T, keep []string) {
	t.Helper()
	for _, p := range keep {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s gone after refused calls: %v", p, err)
		}
	}
}
