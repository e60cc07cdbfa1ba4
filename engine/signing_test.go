package engine

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// sgDB is a small real database for the signing tests.
func sgDB(t *testing.T) *testdb.DB {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE accounts (id INT PRIMARY KEY, owner VARCHAR(40))",
		"INSERT INTO accounts VALUES (1,'ann'),(2,'bob'),(3,'cy')",
	)
	return d
}

// sgManifestJSON reads a manifest as a generic object, keeping every field.
func sgManifestJSON(t *testing.T, dir, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, catalog.ManifestName(name)))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func sgWriteJSON(t *testing.T, dir, name string, m map[string]any) {
	t.Helper()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, catalog.ManifestName(name)), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func sgState(t *testing.T, e *Engine, name string) BackupInfo {
	t.Helper()
	list, err := e.List(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range list {
		if b.Filename == name {
			return b
		}
	}
	t.Fatalf("%s not listed: %+v", name, list)
	return BackupInfo{}
}

func sgTableExists(t *testing.T, d *testdb.DB, table string) bool {
	t.Helper()
	var n int
	if err := d.DB.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", d.Name, table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// TestTrust06EditedManifestIsForeign: SQL appended to a backup, with the
// sha256 and size recomputed in the manifest (the attack of issue 11 item
// 4) but no way to re-sign it, is no longer lifeboat's own: list says
// foreign, the plan says it is not signed by this host, the restore checks
// it as a foreign dump and refuses it (the SQL sits after the completion
// line) without touching the database, and verify fails without laundering
// the manifest. A manifest with its signature removed fares the same.
func TestTrust06EditedManifestIsForeign(t *testing.T) {
	d := sgDB(t)
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := sgState(t, e, b.Filename); s.State != catalog.StateComplete {
		t.Fatalf("fresh backup is %s (%s), want complete", s.State, s.Problem)
	}
	// Append a statement after the completion line and recompress.
	zr, err := catalog.NewReader(bytes.NewReader(mustRead(t, b.Path)), "gzip")
	if err != nil {
		t.Fatal(err)
	}
	sql, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	evil := catGzip(t, append(sql, "CREATE TABLE evil (id INT);\n"...))
	if err := os.WriteFile(b.Path, evil, 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(evil)
	m := sgManifestJSON(t, e.dir(), b.Filename)
	m["sha256"], m["size"] = hex.EncodeToString(sum[:]), len(evil)
	sgWriteJSON(t, e.dir(), b.Filename, m)
	before := bkChecksums(t, d.Server, d.Name)

	for _, variant := range []string{"edited, old signature", "edited, signature removed"} {
		if variant == "edited, signature removed" {
			delete(m, "signature")
			sgWriteJSON(t, e.dir(), b.Filename, m)
		}
		manifestBefore := mustRead(t, filepath.Join(e.dir(), catalog.ManifestName(b.Filename)))
		s := sgState(t, e, b.Filename)
		if s.State != catalog.StateForeign || !strings.Contains(s.Problem, "not signed by this host (or a trusted key)") {
			t.Errorf("%s: listed %s (%q), want foreign: not signed by this host", variant, s.State, s.Problem)
		}
		plan, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Untrusted == "" || !strings.Contains(strings.Join(plan.Warnings, "\n"), "not signed by this host (or a trusted key)") {
			t.Errorf("%s: plan does not say the file is not signed by this host: %+v", variant, plan)
		}
		_, err = e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
		if err == nil || !strings.Contains(err.Error(), "not touched") || !strings.Contains(err.Error(), "no completion line") {
			t.Errorf("%s: restore error %v, want the foreign-file refusal (no completion line at the end), database not touched", variant, err)
		}
		if sgTableExists(t, d, "evil") {
			t.Fatalf("%s: the appended statement ran", variant)
		}
		if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
			t.Fatalf("%s: the database changed: %v -> %v", variant, before, after)
		}
		res, err := e.Verify(ctx, b.Filename, VerifyOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.OK || !catHas(failedChecks(res), "signature") {
			t.Errorf("%s: verify ok=%v failed=%v, want the signature check failed", variant, res.OK, failedChecks(res))
		}
		if after := mustRead(t, filepath.Join(e.dir(), catalog.ManifestName(b.Filename))); !bytes.Equal(after, manifestBefore) {
			t.Errorf("%s: verify rewrote an untrusted manifest (it would have signed the attacker's edit)", variant)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrust06TrustedKeysAcceptAnotherHost: a backup signed by another
// host's key is foreign here until that key is in backup.trusted_keys (a
// server rebuilt after a disaster); then it lists complete, restores as
// lifeboat's own and verifies, and the verify record stays signed.
func TestTrust06TrustedKeysAcceptAnotherHost(t *testing.T) {
	d := sgDB(t)
	old := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := old.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	oldKey, err := old.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	fresh := backupEngine(t, d, "gzip") // its own directory, config and key
	if err := os.MkdirAll(fresh.dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{b.Filename, catalog.ManifestName(b.Filename)} {
		if err := os.WriteFile(filepath.Join(fresh.dir(), n), mustRead(t, filepath.Join(old.dir(), n)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if k, _ := fresh.PublicKey(); k == oldKey || k == "" {
		t.Fatalf("the two hosts share a key %q; the test proves nothing", k)
	}
	s := sgState(t, fresh, b.Filename)
	if s.State != catalog.StateForeign || !strings.Contains(s.Problem, oldKey) {
		t.Errorf("untrusted host's backup listed %s (%q), want foreign naming key %s", s.State, s.Problem, oldKey)
	}
	plan, err := fresh.PlanRestore(ctx, b.Filename, RestoreOptions{})
	if err != nil || plan.Untrusted == "" {
		t.Errorf("plan before trusting: %+v, %v", plan, err)
	}
	if _, err := fresh.trustedManifest(b.Filename); !errors.Is(err, ErrUntrusted) {
		t.Errorf("trustedManifest before trusting: %v, want ErrUntrusted", err)
	}

	fresh.Cfg.Backup.TrustedKeys = []string{oldKey}
	if s := sgState(t, fresh, b.Filename); s.State != catalog.StateComplete || s.Manifest == nil {
		t.Fatalf("trusted host's backup listed %s (%q), want complete", s.State, s.Problem)
	}
	plan, err = fresh.PlanRestore(ctx, b.Filename, RestoreOptions{})
	if err != nil || plan.Untrusted != "" {
		t.Fatalf("plan after trusting: %+v, %v", plan, err)
	}
	want := bkChecksums(t, d.Server, d.Name)
	d.MustExec(t, "DELETE FROM accounts WHERE id = 2")
	if _, err := fresh.Restore(ctx, b.Filename, RestoreOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	if got := bkChecksums(t, d.Server, d.Name); !maps.Equal(want, got) {
		t.Errorf("restored checksums differ: %v, want %v", got, want)
	}
	res, err := fresh.Verify(ctx, b.Filename, VerifyOptions{}, nil)
	if err != nil || !res.OK {
		t.Fatalf("verify of a trusted host's backup: %v %+v", err, res.Checks)
	}
	if s := sgState(t, fresh, b.Filename); s.State != catalog.StateVerified {
		t.Errorf("after verify: %s (%q), want verified: the re-signed record must verify", s.State, s.Problem)
	}
}

// TestTrust06SigningKeyPrivateOutsideBackupDir: the first backup makes
// signing.key beside the config file, mode 0600, outside backup.dir; the
// manifest is signed by it. A key group or others may read is refused with
// the chmod that fixes it, and a key inside backup.dir is refused.
func TestTrust06SigningKeyPrivateOutsideBackupDir(t *testing.T) {
	d := sgDB(t)
	e := backupEngine(t, d, "gzip")
	confDir := t.TempDir()
	e.Cfg.Path = filepath.Join(confDir, "config.toml")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(confDir, config.DefaultSigningKeyName)
	st, err := os.Stat(keyPath)
	if err != nil || st.Mode().Perm() != 0o600 || !st.Mode().IsRegular() {
		t.Fatalf("key file %s: %v, mode %v; want a 0600 file made on first use", keyPath, err, st)
	}
	if !strings.Contains(string(mustRead(t, keyPath)), "BEGIN PRIVATE KEY") {
		t.Errorf("key file is not PEM PKCS #8")
	}
	if got := bkDirNames(t, e.dir()); strings.Join(got, ",") != b.Filename+","+catalog.ManifestName(b.Filename) {
		t.Errorf("backup.dir holds %v: the key (or anything else) must not be there", got)
	}
	pub, _ := e.PublicKey()
	sig, _ := sgManifestJSON(t, e.dir(), b.Filename)["signature"].(map[string]any)
	if sig == nil || sig["key"] != pub || sig["sig"] == "" {
		t.Errorf("manifest signature %v, want key %s", sig, pub)
	}

	if err := os.Chmod(keyPath, 0o640); err != nil {
		t.Fatal(err)
	}
	e2 := backupEngine(t, d, "gzip")
	e2.Cfg.Path = e.Cfg.Path
	_, err = e2.Backup(ctx, BackupOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "chmod 600 "+keyPath) {
		t.Errorf("group-readable key: backup error %v, want a refusal with chmod 600 %s", err, keyPath)
	}
	if names, _ := os.ReadDir(e2.dir()); len(names) > 0 && catalog.IsSQLName(names[0].Name()) {
		t.Errorf("a backup was written with an unusable key: %v", names)
	}
	if err := os.Chmod(keyPath, 0o600); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 { // only root can give a file away; as root, test that a planted key is refused
		if err := os.Chown(keyPath, 65534, -1); err != nil {
			t.Fatal(err)
		}
		e4 := backupEngine(t, d, "gzip")
		e4.Cfg.Path = e.Cfg.Path
		if _, err := e4.Backup(ctx, BackupOptions{}, nil); err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
			t.Errorf("key owned by another user: backup error %v, want a refusal", err)
		}
	}

	e3 := backupEngine(t, d, "gzip")
	e3.Cfg.Backup.SigningKey = filepath.Join(e3.dir(), "keys", "signing.key")
	_, err = e3.Backup(ctx, BackupOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "inside backup.dir") {
		t.Errorf("key inside backup.dir: backup error %v, want a refusal", err)
	}
	if _, err := os.Stat(e3.Cfg.Backup.SigningKey); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key was made inside backup.dir: %v", err)
	}
}

// TestTrust06StatusPublishesPublicKey: status shows this host's public key,
// the one its manifests are signed with.
func TestTrust06StatusPublishesPublicKey(t *testing.T) {
	d := sgDB(t)
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := sgManifestJSON(t, e.dir(), b.Filename)["signature"].(map[string]any)
	if !strings.HasPrefix(st.SigningKey, "ed25519:") || sig == nil || sig["key"] != st.SigningKey {
		t.Errorf("status signing key %q, manifest signed by %v", st.SigningKey, sig)
	}
	if st.SigningKeyFile != e.SigningKeyPath() || config.Inside(e.dir(), st.SigningKeyFile) {
		t.Errorf("status key file %q", st.SigningKeyFile)
	}
	if _, err := config.ParsePublicKey(st.SigningKey); err != nil {
		t.Errorf("status key is not what backup.trusted_keys takes: %v", err)
	}
}

// TestTrust06KeyMadeOnce: lifeboats starting at once on a host without a
// key all end up with the same key, never one each.
func TestTrust06KeyMadeOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "conf", "signing.key")
	backups := filepath.Join(t.TempDir(), "backups")
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := loadOrCreateKey(path, backups)
			if err == nil {
				keys[i] = config.FormatPublicKey(k.Public().(ed25519.PublicKey))
			} else {
				keys[i] = "error: " + err.Error()
			}
		}()
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] || !strings.HasPrefix(k, "ed25519:") {
			t.Fatalf("keys differ or failed: %v", keys)
		}
	}
}

// sgProjectManifest stands in for another kind of manifest (project
// backups): any struct with a signature member signs and verifies the same way.
type sgProjectManifest struct {
	ProjectID string             `json:"project_id"`
	SHA256    string             `json:"sha256"`
	Signature *catalog.Signature `json:"signature,omitempty"`
}

func (m *sgProjectManifest) SetSignature(s *catalog.Signature) { m.Signature = s }

// TestTrust06AnyManifestSigns: the helpers project backups use sign with
// this host's key, verify, and refuse an edit or another host's signature.
func TestTrust06AnyManifestSigns(t *testing.T) {
	open := func() *Engine {
		cfg := &config.Config{Database: config.Database{Socket: "/nonexistent.sock", User: "u", Name: "app"},
			Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Timezone: "UTC"}}
		e, err := Open(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e
	}
	e, other := open(), open()
	b, err := e.signedJSON(&sgProjectManifest{ProjectID: "7", SHA256: "aa"})
	if err != nil {
		t.Fatal(err)
	}
	if signer, err := e.verifySigned(b); err != nil || signer == "" {
		t.Fatalf("own signature: %q %v", signer, err)
	}
	edited := bytes.Replace(b, []byte(`"aa"`), []byte(`"bb"`), 1)
	if _, err := e.verifySigned(edited); !errors.Is(err, ErrUntrusted) {
		t.Errorf("edited project manifest: %v, want ErrUntrusted", err)
	}
	if _, err := other.verifySigned(b); !errors.Is(err, ErrUntrusted) {
		t.Errorf("another host's project manifest: %v, want ErrUntrusted", err)
	}
}
