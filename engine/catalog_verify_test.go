package engine

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// TestHonest09MissingManifestSaysSo: a lifeboat backup whose manifest was
// removed gets the friendly "no manifest" check, not the raw wrapped
// ENOENT (os.IsNotExist never sees through %w).
func TestHonest09MissingManifestSaysSo(t *testing.T) {
	f := catSetup(t)
	name := f.backup(t, time.Now().Add(-time.Hour).Truncate(time.Second), f.sql)
	if err := os.Remove(filepath.Join(f.dir, catalog.ManifestName(name))); err != nil {
		t.Fatal(err)
	}
	res, err := f.e.Verify(context.Background(), name, VerifyOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || len(res.Checks) == 0 || res.Checks[0].Name != "manifest" || res.Checks[0].OK {
		t.Fatalf("verify without a manifest: %+v", res)
	}
	const want = "no manifest: the backup did not finish, or its manifest was removed"
	if got := res.Checks[0].Detail; got != want {
		t.Fatalf("manifest check says %q, want %q", got, want)
	}
}
