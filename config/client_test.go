package config

import (
	"strings"
	"testing"
)

// loadWithCnf loads body with the given option files.
func loadWithCnf(t *testing.T, body string, files ...string) (*Config, error) {
	t.Helper()
	p := writeFile(t, t.TempDir(), "config.toml", body, 0o600)
	return LoadWith(p, LoadOptions{OptionFiles: files})
}

func TestLoadFillsConnectionFromOptionFiles(t *testing.T) {
	dir := t.TempDir()
	etc := writeFile(t, dir, "etc.cnf", "[client]\nhost = db0\nuser = etcuser\n", 0o644)
	home := writeFile(t, dir, "home.cnf",
		"[client]\nuser = backup\npassword = \"pa#ss \\\"w'rd\"  # comment\nport = 3310\n[client-mariadb]\nhost = db1\n", 0o600)
	c, err := loadWithCnf(t, minimalTOML, etc, home)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Database
	if d.Host != "db1" || d.Port != 3310 || d.User != "backup" || d.Password != `pa#ss "w'rd` || d.Socket != "" {
		t.Errorf("database = %#v, password %q", d, d.Password)
	}
}

func TestLoadKeepsTOMLValuesOverOptionFiles(t *testing.T) {
	dir := t.TempDir()
	cnf := writeFile(t, dir, "my.cnf",
		"[client]\nhost = cnfhost\nport = 3399\nuser = cnfuser\npassword = cnfpw\nsocket = /run/cnf.sock\n", 0o600)
	cases := []struct {
		toml                         string
		host, socket, user, password string
		port                         int
	}{
		// TOML user and password win; a TOML host keeps the TCP transport.
		{minimalTOML + "host = \"tomlhost\"\nuser = \"tu\"\npassword = \"tp\"\n", "tomlhost", "", "tu", "tp", 3399},
		// A TOML socket ignores the option-file host and port.
		{minimalTOML + "socket = \"/run/toml.sock\"\n", "", "/run/toml.sock", "cnfuser", "cnfpw", DefaultPort},
		// host = localhost takes the option-file socket, as the client does.
		{minimalTOML + "host = \"localhost\"\n", "localhost", "/run/cnf.sock", "cnfuser", "cnfpw", 3399},
		// Nothing in TOML: everything from the option file.
		{minimalTOML, "cnfhost", "", "cnfuser", "cnfpw", 3399},
	}
	for _, c := range cases {
		cfg, err := loadWithCnf(t, c.toml, cnf)
		if err != nil {
			t.Fatalf("%q: %v", c.toml, err)
		}
		d := cfg.Database
		if d.Host != c.host || d.Socket != c.socket || d.User != c.user || d.Password != c.password || d.Port != c.port {
			t.Errorf("%q: got host %q socket %q user %q password %q port %d", c.toml, d.Host, d.Socket, d.User, d.Password, d.Port)
		}
	}
}

func TestLoadExplicitEmptyPasswordIgnoresOptionFilePassword(t *testing.T) {
	cnf := writeFile(t, t.TempDir(), "my.cnf", "[client]\npassword = fromcnf\nuser = u\n", 0o600)
	c, err := loadWithCnf(t, minimalTOML+"password = \"\"\n", cnf)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Password != "" || c.Database.User != "u" {
		t.Errorf("password %q user %q: an explicit empty password must stay empty", c.Database.Password, c.Database.User)
	}
}

func TestLoadPasswordFileBeatsOptionFilePassword(t *testing.T) {
	dir := t.TempDir()
	cnf := writeFile(t, dir, "my.cnf", "[client]\npassword = fromcnf\n", 0o600)
	pw := writeFile(t, dir, "pw", "fromfile\n", 0o600)
	c, err := loadWithCnf(t, minimalTOML+"password_file = \""+pw+"\"\n", cnf)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.Password != "fromfile" {
		t.Errorf("password %q, want the password_file one", c.Database.Password)
	}
}

func TestLoadOptionFileProblemsAreConfigErrors(t *testing.T) {
	dir := t.TempDir()
	badPort := writeFile(t, dir, "port.cnf", "[client]\nport = 99999\n", 0o600)
	noGroup := writeFile(t, dir, "nogroup.cnf", "user = x\n", 0o600)
	for file, want := range map[string]string{
		badPort: `port "99999" from option file ` + badPort + " line 2: must be 1..65535",
		noGroup: "option file " + noGroup + " line 1: option before any [group]",
	} {
		_, err := loadWithCnf(t, minimalTOML, file)
		if err == nil || !IsConfigError(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\n got %v\nwant %q", file, err, want)
		}
	}
	// NoOptionFiles reads none of them.
	p := writeFile(t, dir, "config.toml", minimalTOML, 0o600)
	if _, err := LoadWith(p, LoadOptions{OptionFiles: []string{noGroup}, NoOptionFiles: true}); err != nil {
		t.Errorf("NoOptionFiles still read an option file: %v", err)
	}
}

func TestLoadReadsDefaultOptionFilesFromHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	writeFile(t, home, ".my.cnf", "[client]\nuser = fromhome\npassword = homepw\n", 0o600)
	p := writeFile(t, t.TempDir(), "config.toml", minimalTOML+"user = \"\"\n", 0o600)
	c, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.User != "fromhome" || c.Database.Password != "homepw" {
		t.Errorf("Load did not read ~/.my.cnf: user %q", c.Database.User)
	}
}
