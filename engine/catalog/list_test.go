package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeBackup writes a fake backup file and, when withManifest, a manifest
// that matches it. Listing never opens the file, so its bytes do not matter.
func writeBackup(t testing.TB, dir string, at time.Time, body string, withManifest bool) string {
	t.Helper()
	name := BackupName(at, "gzip")
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if withManifest {
		sum := sha256.Sum256([]byte(body))
		m := &Manifest{FormatVersion: FormatVersion, Filename: name, Compression: "gzip",
			SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body)), CreatedAt: at, CreatedBy: "tester",
			Tables: map[string]int64{"t": 3}, Rows: 3}
		if err := WriteManifest(dir, m); err != nil {
			t.Fatal(err)
		}
	}
	return name
}

func TestListStates(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 11, 1, 2, 0, 0, 0, time.Local)
	complete := writeBackup(t, dir, base, "complete", true)
	verified := writeBackup(t, dir, base.Add(time.Hour), "verified", true)
	m, _ := ReadManifest(dir, verified)
	m.Verify = &VerifyRecord{At: time.Now(), OK: true}
	WriteManifest(dir, m)
	corrupt := writeBackup(t, dir, base.Add(2*time.Hour), "corrupt", true)
	m, _ = ReadManifest(dir, corrupt)
	m.Verify = &VerifyRecord{At: time.Now(), OK: false, Detail: "sha256 differs"}
	WriteManifest(dir, m)
	resized := writeBackup(t, dir, base.Add(3*time.Hour), "resized", true)
	os.WriteFile(filepath.Join(dir, resized), []byte("resized plus more"), 0o600)
	incomplete := writeBackup(t, dir, base.Add(4*time.Hour), "no manifest", false)
	badJSON := writeBackup(t, dir, base.Add(5*time.Hour), "bad json", false)
	os.WriteFile(filepath.Join(dir, ManifestName(badJSON)), []byte("{not json"), 0o600)
	os.WriteFile(filepath.Join(dir, "mysqldump-app.sql.gz"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(dir, "other.sql"), []byte("x"), 0o600)
	// Never listed: a backup in progress, hidden files, the audit log, a
	// manifest, a directory, a symlink, unrelated files.
	os.WriteFile(filepath.Join(dir, BackupName(base.Add(6*time.Hour), "gzip")+".partial"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(dir, ".hidden.sql"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(dir, "audit.log"), []byte("{}\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600)
	os.MkdirAll(filepath.Join(dir, "projects", "1"), 0o700)
	os.Symlink("/etc/hostname", filepath.Join(dir, "link.sql"))

	got, err := List(dir, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]State{complete: StateComplete, verified: StateVerified, corrupt: StateCorrupt,
		resized: StateCorrupt, incomplete: StateIncomplete, badJSON: StateIncomplete,
		"mysqldump-app.sql.gz": StateForeign, "other.sql": StateForeign}
	if len(got) != len(want) {
		t.Fatalf("listed %d entries, want %d: %+v", len(got), len(want), got)
	}
	for _, e := range got {
		if want[e.Name] != e.State {
			t.Errorf("%s: state %q, want %q (problem %q)", e.Name, e.State, want[e.Name], e.Problem)
		}
	}
	// Newest first among ours (the foreign files carry today's mtime).
	var ours []string
	for _, e := range got {
		if e.Ours {
			ours = append(ours, e.Name)
		}
	}
	wantOrder := []string{badJSON, incomplete, resized, corrupt, verified, complete}
	if fmt.Sprint(ours) != fmt.Sprint(wantOrder) {
		t.Errorf("order %v, want %v", ours, wantOrder)
	}
}

func TestPlanPruneKeepsNewestVerified(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 11, 1, 2, 0, 0, 0, time.Local)
	var names []string
	for i := 0; i < 6; i++ {
		names = append(names, writeBackup(t, dir, base.Add(time.Duration(i)*time.Hour), fmt.Sprint("b", i), true))
	}
	m, _ := ReadManifest(dir, names[1])
	m.Verify = &VerifyRecord{OK: true}
	WriteManifest(dir, m)
	writeBackup(t, dir, base.Add(-time.Hour), "incomplete", false)
	os.WriteFile(filepath.Join(dir, "old.sql"), []byte("x"), 0o600)
	os.Chtimes(filepath.Join(dir, "old.sql"), base.Add(-48*time.Hour), base.Add(-48*time.Hour))

	entries, err := List(dir, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	drop := PlanPrune(entries, PrunePolicy{Keep: 2})
	var got []string
	for _, e := range drop {
		got = append(got, e.Name)
	}
	// keep b5, b4; b1 is the newest verified: kept; drop b3, b2, b0.
	want := []string{names[3], names[2], names[0]}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("drop %v, want %v", got, want)
	}
	for _, e := range drop {
		if err := Remove(dir, e.Name); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, ManifestName(e.Name))); !os.IsNotExist(err) {
			t.Errorf("manifest of %s left behind", e.Name)
		}
	}
	after, _ := List(dir, time.Local)
	if len(after) != len(entries)-3 {
		t.Errorf("after prune %d entries, want %d", len(after), len(entries)-3)
	}
}

// TestRemoveRefusesPaths (issue 21 item 1) plants a file wherever a name
// that slipped past the checks would land, so a missing check deletes a
// file instead of failing on a file that was never there.
func TestRemoveRefusesPaths(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "srv", "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	plant := func(p string) string {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	abs := plant(filepath.Join(root, "victim.sql.gz"))
	keep := []string{
		plant(filepath.Join(root, "etc", "passwd")), // dir/../../etc/passwd
		abs,
		plant(filepath.Join(dir, abs)), // where filepath.Join(dir, abs) lands
		plant(filepath.Join(dir, ".lifeboat.lock")),
		plant(filepath.Join(dir, "backup_2026-11-01_02-00-00.sql.gz.partial")),
		plant(filepath.Join(dir, "a")), // what a NUL-truncating call would reach
	}
	outside := plant(filepath.Join(root, "precious.sql.gz"))
	keep = append(keep, outside)
	if err := os.Symlink(outside, filepath.Join(dir, "link.sql.gz")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, says string }{
		{"../../etc/passwd", "is a path"},
		{abs, "is a path"},
		{"..", "is a path"},
		{"a\x00b", "NUL byte"},
		{".lifeboat.lock", "hidden file"},
		{"backup_2026-11-01_02-00-00.sql.gz.partial", "still being written"},
		{"link.sql.gz", "is a symlink"},
	} {
		err := Remove(dir, c.name)
		if !errors.Is(err, ErrBadName) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Remove(%q): %v; want ErrBadName saying %q", c.name, err, c.says)
		}
	}
	if err := Remove(dir, "nope.sql.gz"); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), `no backup named "nope.sql.gz"`) {
		t.Errorf("Remove of a missing backup: %v; want os.ErrNotExist naming it", err)
	}
	for _, p := range keep {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s gone after refused removes: %v", p, err)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, "link.sql.gz")); err != nil {
		t.Errorf("the refused symlink was removed: %v", err)
	}
}

// BenchmarkList1000 lists a directory of 1,000 backups with manifests.
func BenchmarkList1000(b *testing.B) {
	dir := b.TempDir()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.Local)
	for i := 0; i < 1000; i++ {
		writeBackup(b, dir, base.Add(time.Duration(i)*time.Hour), fmt.Sprintf("backup %d", i), true)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := List(dir, time.Local)
		if err != nil || len(got) != 1000 {
			b.Fatalf("listed %d, err %v", len(got), err)
		}
	}
}
