package config

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
)

// DefaultSigningKeyName is the signing key's file name beside the config.
const DefaultSigningKeyName = "signing.key"

// PublicKeyPrefix starts the text form of a public key: "ed25519:<base64>".
const PublicKeyPrefix = "ed25519:"

// FormatPublicKey is the text form of pub, as status prints it and
// backup.trusted_keys takes it.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return PublicKeyPrefix + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads the text form "ed25519:<base64 of 32 bytes>".
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	b64, ok := strings.CutPrefix(s, PublicKeyPrefix)
	if !ok {
		return nil, fmt.Errorf("%q is not an ed25519 public key: it must start with %q, as `lifeboat status` prints it", clipKey(s), PublicKeyPrefix)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(b64)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%q is not an ed25519 public key: after %q it must be the base64 of %d bytes, as `lifeboat status` prints it", clipKey(s), PublicKeyPrefix, ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

func clipKey(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// SigningKeyPath is where the private signing key lives: backup.signing_key
// (relative to the config file's directory), else signing.key beside the
// config file, else (a config built in code) beside backup.dir, in its
// parent directory. It is never inside backup.dir: validate refuses that.
func (c *Config) SigningKeyPath() string {
	p := c.Backup.SigningKey
	switch {
	case p != "" && filepath.IsAbs(p):
	case p != "" && c.Path != "":
		p = filepath.Join(filepath.Dir(c.Path), p)
	case p != "":
		p, _ = filepath.Abs(p)
	case c.Path != "":
		p = filepath.Join(filepath.Dir(c.Path), DefaultSigningKeyName)
	default:
		p = filepath.Join(filepath.Dir(filepath.Clean(c.Backup.Dir)), DefaultSigningKeyName)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return filepath.Clean(p)
}

// TrustedPublicKeys parses backup.trusted_keys.
func (c *Config) TrustedPublicKeys() ([]ed25519.PublicKey, error) {
	out := make([]ed25519.PublicKey, 0, len(c.Backup.TrustedKeys))
	for i, s := range c.Backup.TrustedKeys {
		k, err := ParsePublicKey(s)
		if err != nil {
			return nil, fmt.Errorf("backup.trusted_keys[%d]: %w", i, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// Inside reports whether path is dir or lies below it, comparing cleaned
// absolute paths and, where they exist, their symlink-resolved forms.
func Inside(dir, path string) bool {
	if dir == "" || path == "" {
		return false
	}
	if under(dir, path) {
		return true
	}
	rd, rp := resolve(dir), resolve(path)
	return under(rd, rp)
}

// resolve resolves the symlinks of the longest existing prefix of p and
// keeps the rest as written (a key's directory may not exist yet).
func resolve(p string) string {
	p = filepath.Clean(p)
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

func under(dir, path string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (c *Config) validateSigning(v *validator) {
	b := c.Backup
	if strings.ContainsRune(b.SigningKey, 0) {
		v.add("backup.signing_key", "contains a NUL byte: fix the path")
	} else if p := c.SigningKeyPath(); b.Dir != "" && Inside(b.Dir, p) {
		key := "backup.signing_key"
		if b.SigningKey == "" {
			key = "backup" // the default path, beside a config inside backup.dir
		}
		v.addAt(key, "backup.signing_key", "%s is inside backup.dir %s: whoever can write backups could read the key and forge them; set backup.signing_key to a path outside it, such as /etc/lifeboat/%s",
			p, b.Dir, DefaultSigningKeyName)
	}
	for i, s := range b.TrustedKeys {
		if _, err := ParsePublicKey(s); err != nil {
			v.addAt("backup.trusted_keys", fmt.Sprintf("backup.trusted_keys[%d]", i), "%v", err)
		}
	}
}
