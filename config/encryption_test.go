package config

import (
	"strings"
	"testing"

	"filippo.io/age"
)

// TestAge07EncryptionConfig: recipients must be age public keys (classic
// or post-quantum, not mixed); a private key pasted into recipients is
// refused without being echoed; an identity file that group or others can
// read is refused with the chmod that fixes it.
func TestAge07EncryptionConfig(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	pq, _ := age.GenerateHybridIdentity()
	dir := t.TempDir()
	secret := id.String()
	open := writeFile(t, dir, "open.key", secret+"\n", 0o644)
	group := writeFile(t, dir, "group.key", secret+"\n", 0o640)
	private := writeFile(t, dir, "ok.key", secret+"\n", 0o600)
	enc := func(recipients, identity string) string {
		s := minimalTOML + "[encryption]\nrecipients = [" + recipients + "]\n"
		if identity != "" {
			s += "identity_file = \"" + identity + "\"\n"
		}
		return s
	}
	q := func(s string) string { return `"` + s + `"` }
	bad := []struct{ body, want string }{
		{enc(q("age1notakey"), ""), "is not an age public key"},
		{enc(q(secret), ""), "is a private key"},
		{enc(q(id.Recipient().String())+", "+q(pq.Recipient().String()), ""), "cannot be used together"},
		{enc(q(id.Recipient().String()), open), "encryption.identity_file " + open + " is readable by others (mode 0644): run chmod 600 " + open},
		{enc(q(id.Recipient().String()), group), "is readable by group (mode 0640): run chmod 600 " + group},
	}
	for _, c := range bad {
		_, err := loadTOML(t, c.body)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %q", c.body, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("the error shows the secret key: %v", err)
		}
	}
	for _, r := range []string{id.Recipient().String(), pq.Recipient().String()} {
		c, err := loadTOML(t, enc(q(r), private))
		if err != nil {
			t.Fatalf("recipient %.20s…: %v", r, err)
		}
		if rs, err := c.AgeRecipients(); err != nil || len(rs) != 1 || c.IdentityPath() != private {
			t.Fatalf("recipients %v (%v), identity %q", rs, err, c.IdentityPath())
		}
	}
	if strings.Contains(Config{Encryption: Encryption{IdentityFile: private}}.String(), secret) {
		t.Fatal("a printed config shows key material")
	}
}
