package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// writeFile writes body to dir/name with mode (chmod'ed, so umask does
// not interfere) and returns the path.
func writeFile(t *testing.T, dir, name, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadTOML writes body as a private config.toml and loads it without
// reading any option file.
func loadTOML(t *testing.T, body string) (*Config, error) {
	t.Helper()
	p := writeFile(t, t.TempDir(), "config.toml", body, 0o600)
	return LoadWith(p, LoadOptions{OptionFiles: []string{}})
}

const minimalTOML = "[database]\nname = \"app\"\n"
