package main

import (
	"os"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/BurntSushi/toml"
)

// The encryption rows' config encrypts to a fresh key whose identity only
// the bench holds (0600), into a backup directory of its own.
func TestAgeConfig(t *testing.T) {
	b := newTestBench(t)
	cfgPath, dir, err := b.writeAgeConfig()
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Database   struct{ Socket, Name string }
		Backup     struct{ Dir string }
		Encryption struct {
			Recipients   []string
			IdentityFile string `toml:"identity_file"`
		}
	}
	if _, err := toml.DecodeFile(cfgPath, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Backup.Dir != dir || dir == b.lbBackups || cfg.Database.Name != b.src || len(cfg.Encryption.Recipients) != 1 {
		t.Fatalf("config = %+v", cfg)
	}
	for path, mode := range map[string]os.FileMode{cfgPath: 0o600, cfg.Encryption.IdentityFile: 0o600, dir: 0o700} {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: %v, mode %v; want %v", path, err, st.Mode().Perm(), mode)
		}
	}
	key, err := os.ReadFile(cfg.Encryption.IdentityFile)
	if err != nil {
		t.Fatal(err)
	}
	id, err := age.ParseX25519Identity(strings.TrimSpace(string(key)))
	if err != nil {
		t.Fatal(err)
	}
	if id.Recipient().String() != cfg.Encryption.Recipients[0] {
		t.Errorf("recipient %s does not match the identity's %s", cfg.Encryption.Recipients[0], id.Recipient())
	}
	if strings.Contains(string(mustRead(t, cfgPath)), "AGE-SECRET-KEY") {
		t.Error("the config holds the private key")
	}
}

func TestRSSDelta(t *testing.T) {
	plain, enc := &series{}, &series{}
	plain.add(sample{RSS: 80e6})
	enc.add(sample{RSS: 95e6})
	if d := rssDelta("x", enc, plain); !d.known || d.value != 15 || d.value <= d.limit {
		t.Errorf("rssDelta = %+v, want 15 MB over a 10 MB limit", d)
	}
	if d := rssDelta("x", &series{}, plain); d.known {
		t.Errorf("no encrypted run: %+v, want unknown", d)
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
