package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SystemConfig is the last place Find looks.
const SystemConfig = "/etc/lifeboat/config.toml"

// systemConfig is SystemConfig; tests point it elsewhere.
var systemConfig = SystemConfig

// Find says which config file to use: flagPath (--config), then
// $LIFEBOAT_CONFIG, then $XDG_CONFIG_HOME/lifeboat/config.toml (default
// ~/.config), then /etc/lifeboat/config.toml. A file named by the flag or
// the variable must exist; when nothing is found the error lists every
// place looked.
func Find(flagPath string) (string, error) {
	if flagPath != "" {
		return mustExist(flagPath, "--config")
	}
	if env := os.Getenv("LIFEBOAT_CONFIG"); env != "" {
		return mustExist(env, "$LIFEBOAT_CONFIG")
	}
	var looked []string
	for _, p := range searchPath() {
		looked = append(looked, p)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", &Error{Msg: fmt.Sprintf("no config file found (looked in %s): "+
		"run `lifeboat init` to write one, or pass --config FILE", strings.Join(looked, ", ")), Err: os.ErrNotExist}
}

// searchPath is the user then system location.
func searchPath() []string {
	var paths []string
	xdg := os.Getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		if home, err := os.UserHomeDir(); err == nil {
			xdg = filepath.Join(home, ".config")
		}
	}
	if xdg != "" {
		paths = append(paths, filepath.Join(xdg, "lifeboat", "config.toml"))
	}
	return append(paths, systemConfig)
}

func mustExist(path, from string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", &Error{Path: path, Msg: fmt.Sprintf("named by %s: %v: check the path", from, unwrapPathError(err)), Err: err}
	}
	if st.IsDir() {
		return "", &Error{Path: path, Msg: fmt.Sprintf("named by %s is a directory: name the config file", from)}
	}
	return path, nil
}
