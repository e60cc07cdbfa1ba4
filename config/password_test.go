package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPasswordFile(t *testing.T) {
	cases := []struct{ content, want string }{
		{"s3cret\n", "s3cret"},
		{"s3cret", "s3cret"},
		{"s3cret\n\n", "s3cret\n"},
		{"s3cret\r\n", "s3cret"},
		{" spaced # pw \n", " spaced # pw "},
	}
	for _, c := range cases {
		dir := t.TempDir()
		writeFile(t, dir, "secrets/db.pw", c.content, 0o600)
		// Relative to the config's directory; the config holds no
		// password itself, so 0644 is fine for it.
		p := writeFile(t, dir, "config.toml", minimalTOML+"password_file = \"secrets/db.pw\"\n", 0o644)
		cfg, err := LoadWith(p, LoadOptions{OptionFiles: []string{}})
		if err != nil {
			t.Fatalf("%q: %v", c.content, err)
		}
		if cfg.Database.Password != c.want {
			t.Errorf("%q: password %q, want %q", c.content, cfg.Database.Password, c.want)
		}
		if m, _ := cfg.MySQL(); m.Passwd != c.want {
			t.Errorf("%q: driver password %q", c.content, m.Passwd)
		}
	}
}

func TestPasswordFileProblems(t *testing.T) {
	dir := t.TempDir()
	open := writeFile(t, dir, "open.pw", "leakedpw\n", 0o644)
	group := writeFile(t, dir, "group.pw", "leakedpw\n", 0o640)
	empty := writeFile(t, dir, "empty.pw", "\n", 0o600)
	ok := writeFile(t, dir, "ok.pw", "leakedpw\n", 0o600)
	missing := filepath.Join(dir, "missing.pw")
	cases := []struct{ extra, want string }{
		{"password_file = \"" + open + "\"\n", "database.password_file " + open + " is readable by others (mode 0644): run chmod 600 " + open},
		{"password_file = \"" + group + "\"\n", "is readable by group (mode 0640): run chmod 600 " + group},
		{"password_file = \"" + empty + "\"\n", "database.password_file " + empty + " is empty"},
		{"password_file = \"" + missing + "\"\n", "database.password_file " + missing + ": no such file or directory"},
		{"password_file = \"" + ok + "\"\npassword = \"leakedpw\"\n", "database.password and database.password_file are both set: keep one"},
	}
	for _, c := range cases {
		_, err := loadTOML(t, minimalTOML+c.extra)
		if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %q", c.extra, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "leakedpw") {
			t.Errorf("%q: error shows the password: %v", c.extra, err)
		}
	}
}
