package crypt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// TestAge08KeyNewWritesAPrivateIdentityAndNeverOverwrites: the new file is
// 0600, its recipient is what it returns, and a second call on the same
// path fails and leaves the first key as it was.
func TestAge08KeyNewWritesAPrivateIdentityAndNeverOverwrites(t *testing.T) {
	for _, pq := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "age.key")
		r, err := NewIdentity(p, pq)
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v (%v), want 0600", st.Mode(), err)
		}
		ids, err := LoadIdentities(p)
		if err != nil || len(ids) != 1 {
			t.Fatalf("load: %v", err)
		}
		var got string
		switch id := ids[0].(type) {
		case *age.X25519Identity:
			got = id.Recipient().String()
		case *age.HybridIdentity:
			got = id.Recipient().String()
		}
		if got != r || (pq != strings.HasPrefix(r, "age1pq1")) {
			t.Fatalf("recipient %q, the file's is %q (pq %v)", r, got, pq)
		}
		before, _ := os.ReadFile(p)
		if _, err := NewIdentity(p, pq); err == nil || !strings.Contains(err.Error(), "never overwrites") {
			t.Fatalf("second key new: %v", err)
		}
		if after, _ := os.ReadFile(p); string(after) != string(before) {
			t.Fatal("the existing key was changed")
		}
		os.Chmod(p, 0o640)
		if _, err := LoadIdentities(p); err == nil || !strings.Contains(err.Error(), "chmod 600 "+p) {
			t.Fatalf("a group-readable identity loaded: %v", err)
		}
	}
}
