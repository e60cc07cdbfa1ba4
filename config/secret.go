package config

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// checkPrivate refuses a file that group or others can read. what starts
// the message, e.g. "config /etc/lifeboat/config.toml holds a password and".
// cfgPath is the config the error belongs to.
func checkPrivate(cfgPath, path, what string) error {
	st, err := os.Stat(path)
	if err != nil {
		return &Error{Path: cfgPath, Msg: fmt.Sprintf("%s: %v: check the path", what, unwrapPathError(err)), Err: err}
	}
	perm := st.Mode().Perm()
	if perm&0o044 == 0 {
		return nil
	}
	who := "others"
	if perm&0o004 == 0 {
		who = "group"
	}
	return &Error{Path: cfgPath, bare: true,
		Msg: fmt.Sprintf("%s is readable by %s (mode %04o): run chmod 600 %s", what, who, perm, path)}
}

// readPasswordFile sets Database.Password from Database.PasswordFile,
// relative to the config's directory, trimming one trailing newline.
func (c *Config) readPasswordFile() error {
	p := c.Database.PasswordFile
	if !filepath.IsAbs(p) && c.Path != "" {
		p = filepath.Join(filepath.Dir(c.Path), p)
	}
	if err := checkPrivate(c.Path, p, "database.password_file "+p); err != nil {
		return err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return &Error{Path: c.Path, Msg: fmt.Sprintf("database.password_file %s: %v", p, unwrapPathError(err)), Err: err}
	}
	pw := string(data)
	if strings.HasSuffix(pw, "\r\n") {
		pw = strings.TrimSuffix(pw, "\r\n")
	} else {
		pw = strings.TrimSuffix(pw, "\n")
	}
	if pw == "" {
		return newError(c.Path, 0, "database.password_file %s is empty: write the password into it or remove the key", p)
	}
	c.Database.Password = pw
	return nil
}

const mask = "********"

// Redacted returns a copy safe to print: the password is masked.
func (c Config) Redacted() Config {
	r := c
	r.Database = c.Database.redacted()
	r.Projects.Relations = slices.Clone(c.Projects.Relations)
	if c.Access != nil {
		r.Access = maps.Clone(c.Access)
	}
	return r
}

func (d Database) redacted() Database {
	if d.Password != "" {
		d.Password = mask
	}
	return d
}

// String prints the config with the password masked.
func (c Config) String() string {
	r := c.Redacted()
	type plain Config // drops the String method, avoiding recursion
	return fmt.Sprintf("%+v", plain(r))
}

// String prints the database settings with the password masked, so %v of
// a Config or Database never shows it.
func (d Database) String() string {
	type plain Database
	return fmt.Sprintf("%+v", plain(d.redacted()))
}

// GoString masks the password for %#v too.
func (d Database) GoString() string {
	type plain Database
	return fmt.Sprintf("%#v", plain(d.redacted()))
}
