package config

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrust06SigningKeyConfig: backup.signing_key defaults to signing.key
// beside the config file, resolves relative to it, and is refused inside
// backup.dir; backup.trusted_keys takes `lifeboat status`'s text form and a
// bad key is an error naming the key and its line.
func TestTrust06SigningKeyConfig(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	text := FormatPublicKey(pub)
	if !strings.HasPrefix(text, "ed25519:") {
		t.Fatalf("key text %q", text)
	}
	c, err := loadTOML(t, minimalTOML+"[backup]\ndir = \"/srv/backups\"\ntrusted_keys = [\n  \""+text+"\",\n]\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SigningKeyPath(); got != filepath.Join(filepath.Dir(c.Path), "signing.key") {
		t.Errorf("default signing key %s, want signing.key beside %s", got, c.Path)
	}
	keys, err := c.TrustedPublicKeys()
	if err != nil || len(keys) != 1 || !keys[0].Equal(pub) {
		t.Errorf("trusted keys %v, %v", keys, err)
	}
	c, err = loadTOML(t, minimalTOML+"[backup]\nsigning_key = \"keys/host.key\"\n")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SigningKeyPath(); got != filepath.Join(filepath.Dir(c.Path), "keys", "host.key") {
		t.Errorf("relative signing key resolves to %s", got)
	}

	cases := []struct {
		toml, want string
		line       int
	}{
		{minimalTOML + "[backup]\ndir = \"/srv/b\"\nsigning_key = \"/srv/b/keys/signing.key\"\n",
			`backup.signing_key /srv/b/keys/signing.key is inside backup.dir /srv/b`, 5},
		{minimalTOML + "[backup]\ndir = \"/srv/b\"\nsigning_key = \"/srv/b/../b/signing.key\"\n",
			`backup.signing_key /srv/b/signing.key is inside backup.dir /srv/b`, 5},
		{minimalTOML + "[backup]\ntrusted_keys = [\"ssh-ed25519 AAAA\"]\n",
			`backup.trusted_keys[0] "ssh-ed25519 AAAA" is not an ed25519 public key: it must start with "ed25519:"`, 4},
		{minimalTOML + "[backup]\ndir = \"/srv/b\"\n\ntrusted_keys = [\n  \"" + text + "\",\n  \"ed25519:AAAA\",\n]\n",
			`backup.trusted_keys[1] "ed25519:AAAA" is not an ed25519 public key: after "ed25519:" it must be the base64 of 32 bytes`, 6},
	}
	for _, tc := range cases {
		_, err := loadTOML(t, tc.toml)
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) || ce.Line != tc.line {
			t.Errorf("%q:\n got %v\nwant %q at line %d", tc.toml, err, tc.want, tc.line)
		}
	}
	if Inside("/srv/b", "/srv/bb/signing.key") || !Inside("/srv/b", "/srv/b/x") {
		t.Error("Inside must compare path elements, not string prefixes")
	}
	// backup.dir reached through a symlink, the key named by the real path
	// in a directory that does not exist yet.
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "backups")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if !Inside(link, filepath.Join(real, "keys", "signing.key")) || Inside(link, filepath.Join(filepath.Dir(link), "signing.key")) {
		t.Error("Inside must resolve symlinks, also below a directory that does not exist yet")
	}
}
