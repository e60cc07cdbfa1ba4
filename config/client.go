package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// clientGroups are the option-file groups every MariaDB client reads
// (Connector/C default groups; Debian puts the socket in client-server).
var clientGroups = []string{"client", "client-server", "client-mariadb"}

// DefaultOptionFiles are the option files the mysql client reads, in
// order; later files override earlier ones.
func DefaultOptionFiles() []string {
	files := []string{"/etc/my.cnf", "/etc/mysql/my.cnf"}
	if home, err := os.UserHomeDir(); err == nil {
		files = append(files, filepath.Join(home, ".my.cnf"))
	}
	return files
}

// ClientOptions merges the [client], [client-server] and [client-mariadb]
// groups of files (missing and world-writable files are skipped, as the
// client does).
// Keys are in NormalKey form; a later value overrides an earlier one.
func ClientOptions(files []string) (map[string]Option, error) {
	merged := map[string]Option{}
	for _, f := range files {
		ok, err := usableOptionFile(f)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		opts, err := ParseOptionFile(f)
		if err != nil {
			return nil, err
		}
		for _, o := range opts {
			if o.HasValue && isClientGroup(o.Group) {
				merged[o.NormalKey()] = o
			}
		}
	}
	return merged, nil
}

func isClientGroup(g string) bool {
	for _, c := range clientGroups {
		if strings.EqualFold(g, c) {
			return true
		}
	}
	return false
}

// fillFromOptionFiles sets the connection values the TOML left empty.
// A transport the TOML chose is kept: a TOML socket ignores option-file
// host and port, and a TOML host other than localhost ignores the socket.
func fillFromOptionFiles(c *Config, files []string, passwordGiven bool) error {
	opts, err := ClientOptions(files)
	if err != nil {
		return &Error{Path: c.Path, Msg: err.Error() + ": fix the option file or set the value in the config", Err: err}
	}
	d := &c.Database
	tomlSocket, tomlHost := d.Socket != "", d.Host != ""
	if o, ok := opts["user"]; ok && d.User == "" {
		d.User = o.Value
	}
	if o, ok := opts["password"]; ok && !passwordGiven {
		d.Password = o.Value
		warnReadablePassword(o)
	}
	if tomlSocket {
		return nil
	}
	if o, ok := opts["host"]; ok && !tomlHost {
		d.Host = o.Value
	}
	if o, ok := opts["port"]; ok && d.Port == 0 {
		p, err := strconv.Atoi(strings.TrimSpace(o.Value))
		if err != nil || p < 1 || p > 65535 {
			return newError(c.Path, 0, "port %q from option file %s line %d: must be 1..65535", o.Value, o.File, o.Line)
		}
		d.Port = p
	}
	if o, ok := opts["socket"]; ok && (d.Host == "" || d.Host == "localhost") {
		d.Socket = o.Value
	}
	return nil
}
