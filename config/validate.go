package config

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Compressions are the allowed backup.compression values.
var Compressions = []string{"gzip", "zstd", "none"}

// osNameRe is a portable user or group name (POSIX plus common practice).
var osNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$`)

// Validate checks a Config built in code (after ApplyDefaults). Load
// validates for you. It reports every bad value, one message each.
func (c *Config) Validate() error { return c.validate(nil) }

// validator collects one *Error per bad value.
type validator struct {
	path  string
	lines map[string]int
	errs  []error
}

func (v *validator) add(key, format string, args ...any) { v.addAt(key, key, format, args...) }

// validate checks every value; lines (may be nil) gives each key's line.
func (c *Config) validate(lines map[string]int) error {
	v := &validator{path: c.Path, lines: lines}
	c.validateDatabase(v)
	c.validateBackup(v)
	c.validateProjects(v)
	c.validateAccess(v)
	c.validateCheck(v)
	c.validateNotify(v)
	c.validateRemotes(v)
	c.validateEncryption(v)
	c.validateBinlog(v)
	return errors.Join(v.errs...)
}

func (c *Config) validateDatabase(v *validator) {
	d := c.Database
	c.validateDatabaseNames(v)
	if d.Port < 1 || d.Port > 65535 {
		v.add("database.port", "%d: must be 1..65535", d.Port)
	}
	if d.Socket != "" && !filepath.IsAbs(d.Socket) {
		v.add("database.socket", "%q: must be an absolute path", d.Socket)
	}
	if strings.ContainsRune(d.User, 0) {
		v.add("database.user", "contains a NUL byte: fix the user name")
	}
}

func (c *Config) validateBackup(v *validator) {
	b := c.Backup
	switch {
	case b.Dir == "":
		v.add("backup.dir", "is empty: set an absolute directory such as %s", DefaultBackupDir)
	case !filepath.IsAbs(b.Dir):
		v.add("backup.dir", "%q: must be an absolute path", b.Dir)
	}
	c.validateRetention(v) // keep and the calendar rules
	if b.KeepPrevious < 0 || b.KeepPrevious > MaxKeepPrevious {
		v.add("backup.keep_previous", "%d: must be 0 to %d (how many previous states of the database a swap restore keeps on the server)", b.KeepPrevious, MaxKeepPrevious)
	}
	if !slices.Contains(Compressions, b.Compression) {
		v.add("backup.compression", "%q: must be gzip, zstd or none", b.Compression)
	}
	if _, err := c.Location(); err != nil {
		v.add("backup.timezone", "%q: unknown time zone: use an IANA name such as Europe/Berlin, UTC or Local", b.Timezone)
	}
	if b.StaleAfter.Duration <= 0 {
		v.add("backup.stale_after", "%q: must be more than 0, such as \"26h\"", b.StaleAfter.Duration.String())
	}
	c.validateSigning(v)
}

func (c *Config) validateProjects(v *validator) {
	p := c.Projects
	if p.Table == "" {
		if p.IDColumn != "" || p.NameColumn != "" || p.Keep != 0 || len(p.Relations) > 0 {
			v.add("projects.table", "is required when [projects] is used: set it or remove the section")
		}
		return
	}
	v.identifier("projects.table", p.Table)
	v.identifier("projects.id_column", p.IDColumn)
	v.identifier("projects.name_column", p.NameColumn)
	if p.Keep < 1 {
		v.add("projects.keep", "%d: must be at least 1", p.Keep)
	}
	for i, r := range p.Relations {
		key := fmt.Sprintf("projects.relation[%d]", i)
		v.identifierAt("projects.relation", key+".table", r.Table)
		v.identifierAt("projects.relation", key+".column", r.Column)
		table, column, ok := strings.Cut(r.References, ".")
		if !ok || identifierProblem(table) != "" || identifierProblem(column) != "" {
			v.addAt("projects.relation", key+".references", "%q: must be table.column, such as \"strings.id\"", r.References)
		}
	}
}

func (c *Config) validateAccess(v *validator) {
	for _, action := range slices.Sorted(maps.Keys(c.Access)) {
		key := "access." + action
		if !IsAction(action) {
			v.add(key, "is not an action: use one of %s", strings.Join(actionNames(), ", "))
			continue
		}
		for _, who := range c.Access[action] {
			if who == "*" {
				continue
			}
			if !osNameRe.MatchString(strings.TrimPrefix(who, "@")) {
				v.add(key, "%q: must be a user name, \"@group\" or \"*\"", who)
			}
		}
	}
}

func (v *validator) identifier(key, name string) { v.identifierAt(key, key, name) }

// identifierAt checks name; lineKey is the TOML key used to find the line.
func (v *validator) identifierAt(lineKey, key, name string) {
	if msg := identifierProblem(name); msg != "" {
		v.addAt(lineKey, key, "%q: %s", name, msg)
	}
}

func (v *validator) addAt(lineKey, key, format string, args ...any) {
	line := 0
	if v.lines != nil {
		line = lineOfKey(v.lines, strings.Split(lineKey, "."))
	}
	v.errs = append(v.errs, newError(v.path, line, "%s %s", key, fmt.Sprintf(format, args...)))
}

// identifierProblem says what is wrong with a table, column or database
// name, or "" when it is usable inside backticks.
func identifierProblem(name string) string {
	switch {
	case name == "":
		return "is empty: give a name"
	case len(name) > 64:
		return "is longer than 64 characters"
	case strings.ContainsAny(name, "`\x00"):
		return "must not contain a backtick or NUL byte"
	case strings.TrimRight(name, " ") != name:
		return "must not end with a space"
	}
	return ""
}
