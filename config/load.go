package config

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// LoadOptions changes where Load looks for connection values.
type LoadOptions struct {
	// OptionFiles are the MySQL option files read for connection values
	// the TOML leaves out; nil means DefaultOptionFiles().
	OptionFiles []string
	// NoOptionFiles skips option files altogether.
	NoOptionFiles bool
}

// Load reads the TOML config at path, fills missing connection values
// from the usual option files, reads password_file, applies defaults and
// validates. Every error it returns satisfies IsConfigError.
func Load(path string) (*Config, error) {
	return LoadWith(path, LoadOptions{})
}

// LoadWith is Load with the option files chosen by the caller.
func LoadWith(path string, opts LoadOptions) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot read: %v: check the path and its permissions", unwrapPathError(err)), Err: err}
	}
	c, md, lines, err := decode(path, string(data))
	if err != nil {
		return nil, err
	}
	passwordInFile := c.Database.Password != ""
	if passwordInFile {
		if err := checkPrivate(path, path, "config "+path+" holds a password and"); err != nil {
			return nil, err
		}
	}
	if err := c.loadRemoteSecrets(path); err != nil {
		return nil, err
	}
	if c.Database.PasswordFile != "" {
		if passwordInFile {
			return nil, newError(path, 0, "database.password and database.password_file are both set: keep one")
		}
		if err := c.readPasswordFile(); err != nil {
			return nil, err
		}
	}
	if !opts.NoOptionFiles {
		files := opts.OptionFiles
		if files == nil {
			files = DefaultOptionFiles()
		}
		// password = "" set explicitly means "no password", not "ask my.cnf".
		given := md.IsDefined("database", "password") || c.Database.PasswordFile != ""
		if err := fillFromOptionFiles(c, files, given); err != nil {
			return nil, err
		}
	}
	c.applyDefaults(md)
	if err := c.validate(lines); err != nil {
		return nil, err
	}
	if err := c.checkIdentityFile(); err != nil {
		return nil, err
	}
	return c, nil
}

// decode parses text into a Config and rejects unknown keys.
func decode(path, text string) (*Config, *toml.MetaData, map[string]int, error) {
	c := &Config{Path: path}
	md, err := toml.Decode(text, c)
	if err != nil {
		return nil, nil, nil, tomlError(path, text, err)
	}
	var unknown []error
	lines := keyLines(text)
	var reported []string
	for _, k := range md.Undecoded() {
		ks := k.String()
		if coveredBy(ks, reported) {
			continue
		}
		reported = append(reported, ks)
		unknown = append(unknown, newError(path, lineOfKey(lines, k), "unknown key %q: %s", ks, unknownHint(k)))
	}
	if len(unknown) > 0 {
		return nil, nil, nil, errors.Join(unknown...)
	}
	return c, &md, lines, nil
}

// unknownHint says what to do about an unknown key, listing the keys
// allowed in its place.
func unknownHint(k toml.Key) string {
	parent := k[:len(k)-1]
	known := knownKeys(parent)
	if len(known) == 0 {
		return "remove it or fix its spelling"
	}
	where := "at the top level (tables)"
	if len(parent) > 0 {
		where = "in [" + parent.String() + "]"
	}
	return "remove it or fix its spelling; known keys " + where + ": " + strings.Join(known, ", ")
}

// coveredBy reports whether key sits under an already reported table.
func coveredBy(key string, reported []string) bool {
	for _, r := range reported {
		if strings.HasPrefix(key, r+".") {
			return true
		}
	}
	return false
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
