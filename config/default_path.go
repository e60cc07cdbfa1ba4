package config

import "os"

// DefaultPath is where `lifeboat init` writes a config when --config is
// not given: $LIFEBOAT_CONFIG, else the first place Find looks
// ($XDG_CONFIG_HOME/lifeboat/config.toml, or /etc/lifeboat/config.toml
// when there is no home).
func DefaultPath() string {
	if env := os.Getenv("LIFEBOAT_CONFIG"); env != "" {
		return env
	}
	return searchPath()[0]
}
