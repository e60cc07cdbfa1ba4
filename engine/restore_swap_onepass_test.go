package engine

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// TestSwapOnePass: the swap restore of a signed backup reads the file
// once. There is no separate verify pass: the load itself reads every
// byte of the file, and the checks that pass made still hold. A file
// whose sha256 is not its manifest's is loaded into the copy, found out
// before the swap, and refused: live is as it was and the copy is gone.
func TestSwapOnePass(t *testing.T) {
	d, e, name, old, neu := swapFixture(t, 3000)
	ctx := context.Background()
	path, err := catalog.Resolve(e.dir(), name)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	ops := map[string]int64{} // op → the most bytes it reported
	seen := func(s progress.Snapshot) {
		mu.Lock()
		defer mu.Unlock()
		ops[s.Op] = max(ops[s.Op], s.Bytes)
	}
	res, err := e.Restore(ctx, name, RestoreOptions{}, seen)
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("restore %+v: %v", res, err)
	}
	sameFingerprint(t, neu, swapFingerprint(t, d, d.Name))
	if _, ok := ops["verify"]; ok || ops["restore"] != st.Size() {
		t.Errorf("passes over the file (op: bytes read): %v; want only restore, reading all %d bytes", ops, st.Size())
	}
	if _, err := e.Undo(ctx, ""); err != nil {
		t.Fatal(err)
	}
	sameFingerprint(t, old, swapFingerprint(t, d, d.Name))

	m, err := e.restoreManifest(name)
	if err != nil {
		t.Fatal(err)
	}
	m.SHA256 = strings.Repeat("0", 64) // signed anew: only the sum is wrong
	if err := e.saveManifest(m); err != nil {
		t.Fatal(err)
	}
	_, err = e.Restore(ctx, name, RestoreOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "the file changed after it was written") || !strings.Contains(err.Error(), "not touched") ||
		!strings.Contains(err.Error(), "copy was dropped") {
		t.Fatalf("restore of a file that is not its manifest's: %v", err)
	}
	t.Logf("message: %v", err)
	sameFingerprint(t, old, swapFingerprint(t, d, d.Name))
	for _, s := range schemaCount(t, d, likePrefix(d.Name)) {
		if s == shadowName(d.Name) {
			t.Errorf("the copy %s was left behind", s)
		}
	}
}
