package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTrust06StatusShowsSigningKey: `lifeboat status` publishes the public
// key that signs this host's manifests, in --json (system_status.
// signing_key) and on screen; the key file is made beside the config, 0600.
// A bad backup.trusted_keys entry is a config error naming key and line.
func TestTrust06StatusShowsSigningKey(t *testing.T) {
	f := newFixture(t, "")
	// This host's config without backup.signing_key: the key goes beside it.
	body, _ := os.ReadFile(f.config)
	body = regexp.MustCompile(`(?m)^signing_key = .*\n`).ReplaceAll(body, nil)
	f.config = writeConfig(t, string(body), 0o600)
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	var m struct {
		Signature struct{ Key, Sig string } `json:"signature"`
	}
	b, err := os.ReadFile(filepath.Join(f.dir, name+".json"))
	if err != nil || json.Unmarshal(b, &m) != nil || m.Signature.Sig == "" {
		t.Fatalf("manifest of %s is not signed: %v %s", name, err, b)
	}
	status, _ := jsonReply[statusReply](t, f, "status")
	sys := status.SystemStatus
	key := sys.SigningKey
	if !strings.HasPrefix(key, "ed25519:") || key != m.Signature.Key {
		t.Errorf("status --json signing_key %q, manifest signed by %q", key, m.Signature.Key)
	}
	keyFile := filepath.Join(filepath.Dir(f.config), "signing.key")
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 || sys.SigningKeyFile != keyFile {
		t.Errorf("key file %s: %v %v (status says %v)", keyFile, err, st, sys.SigningKeyFile)
	}
	r := f.run(t, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "signing    "+key) {
		t.Errorf("status: code %d, stdout does not show the key %s:\n%s", r.code, key, r.stdout)
	}

	bad := writeConfig(t, string(body)+"trusted_keys = [\"ed25519:notakey\"]\n", 0o600)
	lines := strings.Count(string(body), "\n") + 1
	r = lifeboat(t, []string{"HOME=" + t.TempDir()}, "--config", bad, "status")
	if r.code != 2 || !strings.Contains(r.stderr, "backup.trusted_keys[0]") || !strings.Contains(r.stderr, "line "+strconv.Itoa(lines)) {
		t.Errorf("bad trusted key: code %d, stderr %q; want exit 2 naming backup.trusted_keys[0] at line %d", r.code, r.stderr, lines)
	}
}
