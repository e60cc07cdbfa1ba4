package catalog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func signKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func signedManifest(t *testing.T, key ed25519.PrivateKey) []byte {
	t.Helper()
	m := &Manifest{FormatVersion: FormatVersion, Filename: "backup_2026-01-02_03-04-05.sql.gz", SHA256: strings.Repeat("ab", 32),
		Size: 1234, Tables: map[string]int64{"b": 2, "a": 1}, Rows: 3, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600)),
		CreatedBy: "<ann & bob>", Reason: "manual"}
	b, err := MarshalSigned(m, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTrust06SignatureCoversEveryByte: a signed manifest verifies with its
// key in any JSON layout; any change to a value, an added field (even one
// this build does not know), a removed field, another key, or no signature
// at all is ErrUntrusted.
func TestTrust06SignatureCoversEveryByte(t *testing.T) {
	key, other := signKey(t), signKey(t)
	b := signedManifest(t, key)
	trust := NewTrust(key.Public().(ed25519.PublicKey))
	if _, err := trust.Verify(b); err != nil {
		t.Fatalf("fresh signature: %v", err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, b); err != nil {
		t.Fatal(err)
	}
	if _, err := trust.Verify(compact.Bytes()); err != nil {
		t.Errorf("the same manifest without whitespace must verify: %v", err)
	}
	var obj map[string]any
	json.Unmarshal(b, &obj)
	reordered, _ := json.Marshal(obj) // keys sorted, signature in the middle
	if _, err := trust.Verify(reordered); err != nil {
		t.Errorf("reordered keys must verify: %v", err)
	}
	bad := map[string]string{
		"sha256 changed": strings.Replace(string(b), strings.Repeat("ab", 32), strings.Repeat("cd", 32), 1),
		"size changed":   strings.Replace(string(b), `"size": 1234`, `"size": 1235`, 1),
		"field added":    strings.Replace(string(b), `"rows": 3,`, `"rows": 3, "extra_sql": "DROP TABLE x",`, 1),
		"field removed":  strings.Replace(string(b), `"reason": "manual",`, ``, 1),
		"nested changed": strings.Replace(string(b), `"a": 1`, `"a": 9`, 1),
		"unsigned": string(b[:bytes.Index(b, []byte(`,
  "signature"`))]) + "\n}",
		"not an object": `[1,2]`,
		"trailing data": string(b) + `{}`,
	}
	for what, text := range bad {
		if text == string(b) {
			t.Fatalf("%s: the edit did not change the manifest; the test proves nothing", what)
		}
		if _, err := trust.Verify([]byte(text)); !errors.Is(err, ErrUntrusted) {
			t.Errorf("%s: Verify = %v, want ErrUntrusted", what, err)
		}
	}
	if _, err := NewTrust(other.Public().(ed25519.PublicKey)).Verify(b); err == nil || !strings.Contains(err.Error(), "backup.trusted_keys does not list") {
		t.Errorf("another host's trust: %v", err)
	}
	// Trusting the signer as another host's key works (the rebuilt server).
	if signer, err := NewTrust(other.Public().(ed25519.PublicKey), key.Public().(ed25519.PublicKey)).Verify(b); err != nil || signer == "" {
		t.Errorf("trusted key: %q %v", signer, err)
	}
	// A manifest re-signed by someone else's key is not ours either.
	m, _ := ParseManifest("backup_2026-01-02_03-04-05.sql.gz", b)
	forged, _ := MarshalSigned(m, other)
	if _, err := trust.Verify(forged); !errors.Is(err, ErrUntrusted) {
		t.Errorf("forged signature: %v", err)
	}
}
