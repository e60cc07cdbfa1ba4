package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindOrder(t *testing.T) {
	dir := t.TempDir()
	flag := writeFile(t, dir, "flag.toml", minimalTOML, 0o600)
	env := writeFile(t, dir, "env.toml", minimalTOML, 0o600)
	xdg := filepath.Join(dir, "xdg")
	xdgFile := writeFile(t, xdg, "lifeboat/config.toml", minimalTOML, 0o600)
	home := filepath.Join(dir, "home")
	homeFile := writeFile(t, home, ".config/lifeboat/config.toml", minimalTOML, 0o600)
	sys := writeFile(t, dir, "etc/lifeboat/config.toml", minimalTOML, 0o600)
	old := systemConfig
	systemConfig = sys
	t.Cleanup(func() { systemConfig = old })
	t.Setenv("HOME", home)

	t.Setenv("LIFEBOAT_CONFIG", env)
	t.Setenv("XDG_CONFIG_HOME", xdg)
	steps := []struct {
		name, flag, want string
		undo             func()
	}{
		{"flag first", flag, flag, nil},
		{"then $LIFEBOAT_CONFIG", "", env, func() { t.Setenv("LIFEBOAT_CONFIG", "") }},
		{"then $XDG_CONFIG_HOME", "", xdgFile, func() { t.Setenv("XDG_CONFIG_HOME", "") }},
		{"then ~/.config", "", homeFile, func() { os.Remove(homeFile) }},
		{"then /etc", "", sys, nil},
	}
	for _, s := range steps {
		got, err := Find(s.flag)
		if err != nil || got != s.want {
			t.Errorf("%s: Find = %q, %v; want %q", s.name, got, err, s.want)
		}
		if s.undo != nil {
			s.undo()
		}
	}
}

func TestFindErrors(t *testing.T) {
	dir := t.TempDir()
	old := systemConfig
	systemConfig = filepath.Join(dir, "etc/lifeboat/config.toml")
	t.Cleanup(func() { systemConfig = old })
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("LIFEBOAT_CONFIG", "")

	missing := filepath.Join(dir, "missing.toml")
	_, err := Find(missing)
	if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "--config") {
		t.Errorf("missing --config file: %v", err)
	}
	t.Setenv("LIFEBOAT_CONFIG", missing)
	_, err = Find("")
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "$LIFEBOAT_CONFIG") {
		t.Errorf("missing $LIFEBOAT_CONFIG file: %v", err)
	}
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory as --config: %v", err)
	}
	t.Setenv("LIFEBOAT_CONFIG", "")
	_, err = Find("")
	for _, want := range []string{filepath.Join(dir, "home/.config/lifeboat/config.toml"), systemConfig, "--config FILE"} {
		if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("nothing found: %v, want it to mention %s", err, want)
		}
	}
}
