package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// Encryption is [encryption]: backups are written with age to Recipients
// (public keys only, so the database server needs no secret); IdentityFile
// is the private key that reads them back.
type Encryption struct {
	Recipients   []string `toml:"recipients"`
	IdentityFile string   `toml:"identity_file"`
}

// Enabled reports whether new backups are encrypted.
func (e Encryption) Enabled() bool { return len(e.Recipients) > 0 }

// IdentityPath is encryption.identity_file, relative to the config file's
// directory; "" when none is set.
func (c *Config) IdentityPath() string {
	p := c.Encryption.IdentityFile
	if p == "" {
		return ""
	}
	if !filepath.IsAbs(p) && c.Path != "" {
		p = filepath.Join(filepath.Dir(c.Path), p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return filepath.Clean(p)
}

// AgeRecipients parses encryption.recipients: X25519 keys (age1…) and the
// post-quantum hybrid keys of age 1.3 (age1pq1…).
func (c *Config) AgeRecipients() ([]age.Recipient, error) {
	out := make([]age.Recipient, 0, len(c.Encryption.Recipients))
	for i, s := range c.Encryption.Recipients {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "AGE-SECRET-KEY-") {
			// Never echo it: it is a private key pasted in the wrong place.
			return nil, fmt.Errorf("encryption.recipients[%d] is a private key (AGE-SECRET-KEY-…): remove it from the config, keep it in identity_file, and list its public key (age1…) here", i)
		}
		r, err := age.ParseRecipients(strings.NewReader(s))
		if err != nil || len(r) != 1 {
			return nil, fmt.Errorf("encryption.recipients[%d] %q is not an age public key: use the line `lifeboat key new` or age-keygen prints (age1…)", i, clipKey(strings.TrimSpace(s)))
		}
		out = append(out, r[0])
	}
	return out, nil
}

func (c *Config) validateEncryption(v *validator) {
	rs, err := c.AgeRecipients()
	if err != nil {
		v.add("encryption.recipients", "%s", strings.TrimPrefix(err.Error(), "encryption.recipients"))
		return
	}
	if len(rs) > 0 {
		// age refuses to mix post-quantum and classic recipients in one file.
		w, err := age.Encrypt(discard{}, rs...)
		if err == nil {
			err = w.Close()
		}
		if err != nil {
			v.add("encryption.recipients", "cannot be used together (%v): use only age1pq1… keys or only age1… keys", err)
		}
	}
	if strings.ContainsRune(c.Encryption.IdentityFile, 0) {
		v.add("encryption.identity_file", "contains a NUL byte: fix the path")
	} else if p := c.IdentityPath(); p != "" && c.Backup.Dir != "" && Inside(c.Backup.Dir, p) {
		v.add("encryption.identity_file", "%s lies inside backup.dir %s: a stolen copy of the directory would carry its own key; keep it elsewhere", p, c.Backup.Dir)
	}
}

// checkIdentityFile refuses an identity file that group or others can read.
// A missing file is not an error here: a backup host holds only the
// recipients; reading a backup names the file it needs.
func (c *Config) checkIdentityFile() error {
	p := c.IdentityPath()
	if p == "" {
		return nil
	}
	if _, err := os.Stat(p); os.IsNotExist(err) {
		return nil
	}
	return checkPrivate(c.Path, p, "encryption.identity_file "+p)
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
