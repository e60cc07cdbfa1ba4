package config

import (
	"fmt"
	"strings"
)

// AllDatabases is the database.names value that selects every database
// but the system schemas.
const AllDatabases = "*"

// systemSchemas are never part of a whole-server backup.
var systemSchemas = []string{"mysql", "information_schema", "performance_schema", "sys"}

// SystemSchema reports the server's own schemas (case-insensitive).
func SystemSchema(name string) bool {
	for _, s := range systemSchemas {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// Selection is the databases a backup covers, as configured: database.name
// alone, or database.names (maybe ["*"]).
func (d Database) Selection() []string {
	if len(d.Names) > 0 {
		return append([]string(nil), d.Names...)
	}
	if d.Name != "" {
		return []string{d.Name}
	}
	return nil
}

// All reports database.names = ["*"].
func (d Database) All() bool { return len(d.Names) == 1 && d.Names[0] == AllDatabases }

// Primary is the database single-database features (restore target,
// projects, the connection's default database) use: database.name, else
// the first of database.names ("" for ["*"]).
func (d Database) Primary() string {
	if d.Name != "" {
		return d.Name
	}
	if len(d.Names) > 0 && !d.All() {
		return d.Names[0]
	}
	return ""
}

// Several reports a whole-server config: more than one database, or all.
func (d Database) Several() bool { return d.All() || len(d.Names) > 1 }

// DatabaseNameProblem says what is wrong with a database name, or "" when
// it is usable: an identifier that is not a path.
func DatabaseNameProblem(name string) string {
	if msg := identifierProblem(name); msg != "" {
		return msg
	}
	switch {
	case name == "." || name == "..":
		return "is a path, not a database name"
	case strings.ContainsAny(name, `/\`):
		return "must not contain / or \\ (a path is not a database name)"
	}
	return ""
}

func (c *Config) validateDatabaseNames(v *validator) {
	d := c.Database
	switch {
	case d.Name != "" && len(d.Names) > 0:
		v.add("database.names", "and database.name are both set: keep one (names for several databases, name for one)")
		return
	case d.Name == "" && len(d.Names) == 0:
		v.add("database.name", "is required: set it to the application database (or database.names for several)")
		return
	case d.Name != "":
		if msg := DatabaseNameProblem(d.Name); msg != "" {
			v.add("database.name", "%q: %s", d.Name, msg)
		}
		return
	}
	seen := map[string]bool{}
	for i, n := range d.Names {
		key := fmt.Sprintf("database.names[%d]", i)
		switch {
		case n == AllDatabases && len(d.Names) > 1:
			v.addAt("database.names", key, "%q: \"*\" stands alone: use [\"*\"] or list the databases", n)
		case n == AllDatabases:
		case SystemSchema(n):
			v.addAt("database.names", key, "%q is a system schema: lifeboat backs up application databases only", n)
		case seen[n]:
			v.addAt("database.names", key, "%q is listed twice", n)
		default:
			if msg := DatabaseNameProblem(n); msg != "" {
				v.addAt("database.names", key, "%q: %s", n, msg)
			}
		}
		seen[n] = true
	}
}
