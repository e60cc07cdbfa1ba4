package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/crypt"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// TestAge10EncryptedProjectBackupRoundTrips (issue 14): with [encryption]
// a project backup is …json.gz.age, which the real `age -d -i key | zcat`
// turns into the plain JSON. A host with only the recipient lists and
// verifies it from outside, and refuses to restore it before touching the
// database, naming identity_file; another key is refused the same way; a
// host with the identity verifies it whole and restores the demo project
// exactly (CHECKSUM TABLE).
func TestAge10EncryptedProjectBackupRoundTrips(t *testing.T) {
	ctx := context.Background()
	e, d := demoEngine(t, 0.02)
	key, recipient := ageKey(t)
	e.Cfg.Encryption.Recipients = []string{recipient}
	bk, err := e.ProjectBackup(ctx, "1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(bk.Filename, ".json.gz.age") {
		t.Fatalf("encrypted project backup %q: want .json.gz.age", bk.Filename)
	}
	body, _ := os.ReadFile(bk.Path)
	if !bytes.HasPrefix(body, []byte("age-encryption.org/v1\n")) || bytes.Contains(body, []byte("Checkout Web")) {
		t.Fatalf("the file is not age from its first byte, or shows its data: %.60q", body)
	}
	if fi, _ := os.Stat(bk.Path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	var m project.Manifest
	raw, _ := os.ReadFile(bk.Path + project.ManifestSuffix)
	if err := json.Unmarshal(raw, &m); err != nil || !m.Encrypted || m.Compression != "gzip" ||
		len(m.Recipients) != 1 || m.Recipients[0] != recipient || m.Size != int64(len(body)) {
		t.Fatalf("manifest = %s (%v)", raw, err)
	}

	// The escape hatch: stock age and zcat read it.
	ageRun(t, "--version") // fails the test, naming the package, when age is missing
	pipe := exec.Command("sh", "-c", `age -d -i "$1" "$2" | zcat`, "sh", key, bk.Path)
	plain, err := pipe.Output()
	if err != nil {
		t.Fatalf("age -d | zcat: %v", err)
	}
	var file struct {
		Metadata project.Meta                 `json:"metadata"`
		Data     map[string][]json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(plain, &file); err != nil {
		t.Fatalf("age -d | zcat is not the project JSON: %v", err)
	}
	if file.Metadata.ProjectName != "Checkout Web" || int64(len(file.Data["translations"])) != bk.Tables["translations"] || len(file.Data["translations"]) == 0 {
		t.Fatalf("age -d | zcat: project %q, %d translations, want %d", file.Metadata.ProjectName, len(file.Data["translations"]), bk.Tables["translations"])
	}

	// Only the recipient here: listed from the manifest, verified from outside.
	list, err := e.ProjectBackups(ctx, "1")
	if err != nil || len(list) != 1 || list[0].State != "complete" || list[0].Problem != "" || list[0].ProjectName != "Checkout Web" ||
		list[0].Tables["translations"] != bk.Tables["translations"] || !list[0].Encrypted || list[0].Opens != OpensNoIdentity {
		t.Fatalf("listing without the identity = %+v, %v", list, err)
	}
	v, err := e.ProjectVerify(ctx, "1", bk.Filename)
	if err != nil || !v.OK || len(v.Checks) != 5 || v.Checks[3].Name != "age header" || !v.Checks[3].OK ||
		v.Checks[4].Name != "content" || !v.Checks[4].Info || !strings.Contains(v.Checks[4].Detail, "not checked") {
		t.Fatalf("verify without the identity = %+v, %v", v, err)
	}
	before := demoChecksums(t, d.DB)
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1",
		"DELETE t FROM translations t JOIN strings s ON s.id = t.string_id JOIN sections c ON c.id = s.section_id JOIN areas a ON a.id = c.area_id WHERE a.project_id = 1 AND t.string_id % 3 = 0")
	damaged := demoChecksums(t, d.DB)
	_, err = e.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil)
	if !errors.Is(err, ErrNoIdentity) || !strings.Contains(err.Error(), "encryption.identity_file") || !strings.Contains(err.Error(), "not touched") {
		t.Fatalf("restore without the identity: %v", err)
	}
	if _, err := e.PlanProjectRestore(ctx, "1", bk.Filename); !errors.Is(err, ErrNoIdentity) {
		t.Fatalf("plan without the identity: %v", err)
	}

	// Another key: refused, naming it.
	other, _ := ageKey(t)
	wrong := withIdentity(t, e, other)
	if _, err := wrong.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil); !errors.Is(err, crypt.ErrWrongKey) || !strings.Contains(err.Error(), other) {
		t.Fatalf("restore with another key: %v", err)
	}
	if l, _ := wrong.ProjectBackups(ctx, "1"); len(l) != 1 || l[0].Opens != OpensNo {
		t.Fatalf("listing with another key = %+v", l)
	}
	if v, _ := wrong.ProjectVerify(ctx, "1", bk.Filename); v.OK {
		t.Fatalf("verify with another key passed: %+v", v)
	}
	if !maps.Equal(demoChecksums(t, d.DB), damaged) {
		t.Fatal("a refused restore changed the database")
	}

	// The identity: verified whole, restored exactly, and the safety
	// backup is encrypted too.
	good := withIdentity(t, e, key)
	if l, _ := good.ProjectBackups(ctx, "1"); len(l) != 1 || l[0].Opens != OpensYes {
		t.Fatalf("listing with the identity = %+v", l)
	}
	v, err = good.ProjectVerify(ctx, "1", bk.Filename)
	if err != nil || !v.OK || len(v.Checks) != 5 || !strings.Contains(v.Checks[3].Detail, "decrypted and decompressed (gzip)") {
		t.Fatalf("verify with the identity = %+v, %v", v, err)
	}
	res, err := good.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(res.SafetyBackup, ".json.gz.age") {
		t.Errorf("safety backup %q is not encrypted", res.SafetyBackup)
	}
	if after := demoChecksums(t, d.DB); !maps.Equal(after, before) {
		t.Fatalf("after the restore: %v, before the damage %v", after, before)
	}

	// A flipped byte inside the ciphertext: refused before any change.
	bad := bytes.Clone(body)
	bad[len(bad)-40] ^= 0x01
	if err := os.WriteFile(bk.Path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	mustExec(t, d.DB, "UPDATE projects SET name = 'Damaged' WHERE id = 1")
	damaged = demoChecksums(t, d.DB)
	if _, err := good.ProjectRestore(ctx, "1", bk.Filename, ProjectRestoreOptions{}, nil); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("restore of a flipped ciphertext: %v", err)
	}
	if !maps.Equal(demoChecksums(t, d.DB), damaged) {
		t.Fatal("the refused restore changed the database")
	}
}
