package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// TestIssue13Item16ProjectBackupsCompressed: a project backup is written
// as backup.compression says (.json.gz by default, .json.zst), plain
// JSON inside, 0600, with nothing half-written left beside it; its
// manifest holds the sha256 of the compressed bytes. Old plain .json
// backups still list, verify and restore beside the new ones, and a
// damaged compressed file is refused before any change.
func TestIssue13Item16ProjectBackupsCompressed(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.02)
	e.Cfg.Backup.Compression = "none" // an "old" plain backup first
	old, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Cfg.Backup.Compression = "zstd"
	zs, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Cfg.Backup.Compression = "" // the default: gzip
	gz, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	for b, ext := range map[*ProjectBackupResult]string{&old: ".json", &zs: ".json.zst", &gz: ".json.gz"} {
		if !strings.HasSuffix(b.Filename, "_"+b.CreatedAt.Format("2006-01-02_15-04-05")+ext) {
			t.Errorf("backup %s: want extension %s", b.Filename, ext)
		}
		if fi, err := os.Stat(b.Path); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("backup %s: mode %v, %v", b.Filename, fi.Mode().Perm(), err)
		}
	}

	plainJSON := readProjectJSON(t, old.Path, nil)
	gzJSON := readProjectJSON(t, gz.Path, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) })
	zsJSON := readProjectJSON(t, zs.Path, func(r io.Reader) (io.Reader, error) { return zstd.NewReader(r) })
	for name, j := range map[string]map[string]json.RawMessage{"gzip": gzJSON, "zstd": zsJSON} {
		if !bytes.Equal(j["data"], plainJSON["data"]) {
			t.Errorf("%s backup: its data differs from the plain backup's", name)
		}
	}
	body, _ := os.ReadFile(gz.Path)
	if fi, _ := os.Stat(old.Path); int64(len(body))*3 > fi.Size() {
		t.Errorf("gzip backup is %d bytes, the plain one %d: not compressed", len(body), fi.Size())
	}
	var m project.Manifest
	raw, _ := os.ReadFile(gz.Path + project.ManifestSuffix)
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if m.Compression != "gzip" || m.Encrypted || m.SHA256 != hex.EncodeToString(sum[:]) || m.Size != int64(len(body)) {
		t.Fatalf("manifest of the gzip backup = %s", raw)
	}
	ents, _ := os.ReadDir(filepath.Dir(gz.Path))
	if len(ents) != 6 { // three backups and three manifests, no spool or partial file
		var names []string
		for _, en := range ents {
			names = append(names, en.Name())
		}
		t.Errorf("project dir holds %v", names)
	}

	list, err := e.ProjectBackups(ctx, "1")
	if err != nil || len(list) != 3 {
		t.Fatalf("backups = %+v, %v", list, err)
	}
	for _, b := range list {
		if b.State != "complete" || b.Problem != "" || b.ProjectName != "Checkout Web" || b.Tables["translations"] != gz.Tables["translations"] {
			t.Errorf("listed %s: state %s, problem %q, name %q, tables %v", b.Filename, b.State, b.Problem, b.ProjectName, b.Tables)
		}
		v, err := e.ProjectVerify(ctx, "1", b.Filename)
		if err != nil || !v.OK || len(v.Checks) != 5 {
			t.Errorf("verify %s = %+v, %v", b.Filename, v, err)
		}
	}

	// A byte flipped inside the compressed stream: verify and restore refuse it.
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1")
	before := demoChecksums(t, d.DB)
	bad := bytes.Clone(body)
	bad[len(bad)/2] ^= 0x40
	if err := os.WriteFile(gz.Path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.ProjectVerify(ctx, "1", gz.Filename); v.OK || v.Checks[len(v.Checks)-1].Name != "sha256" {
		t.Fatalf("verify of a damaged .json.gz = %+v", v)
	}
	if _, err := e.ProjectRestore(ctx, "1", gz.Filename, ProjectRestoreOptions{}, nil); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("restore of a damaged .json.gz: %v", err)
	}
	if !maps.Equal(demoChecksums(t, d.DB), before) {
		t.Fatal("the refused restore changed the database")
	}
	// Cut short: listing says corrupt without reading the file.
	if err := os.WriteFile(gz.Path, body[:len(body)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if list, _ := e.ProjectBackups(ctx, "1"); len(list) != 3 || list[0].Filename != gz.Filename || list[0].State != "corrupt" {
		t.Fatalf("listing of a cut .json.gz = %+v", list)
	}

	// The old plain backup and the zstd one restore exactly.
	for _, b := range []ProjectBackupResult{old, zs} {
		mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1", "DELETE FROM string_comments")
		if _, err := e.ProjectRestore(ctx, "1", b.Filename, ProjectRestoreOptions{}, nil); err != nil {
			t.Fatalf("restore %s: %v", b.Filename, err)
		}
		var name string
		var comments int64
		d.DB.QueryRow("SELECT name FROM projects WHERE id = 1").Scan(&name)
		d.DB.QueryRow("SELECT COUNT(*) FROM string_comments s JOIN strings x ON x.id = s.string_id JOIN sections c ON c.id = x.section_id JOIN areas a ON a.id = c.area_id WHERE a.project_id = 1").Scan(&comments)
		if name != "Checkout Web" || comments != b.Tables["string_comments"] || comments == 0 {
			t.Fatalf("after restoring %s: name %q, %d comments, want %d", b.Filename, name, comments, b.Tables["string_comments"])
		}
	}
}

// readProjectJSON reads a project backup file through unwrap (nil: as
// it is) and decodes its top-level object.
func readProjectJSON(t *testing.T, path string, unwrap func(io.Reader) (io.Reader, error)) map[string]json.RawMessage {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if unwrap != nil {
		if r, err = unwrap(f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	var out map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&out); err != nil || out["metadata"] == nil || out["data"] == nil {
		t.Fatalf("%s is not a project backup's JSON: %v", path, err)
	}
	return out
}
