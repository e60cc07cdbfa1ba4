// Package project owns per-project backups: the graph of tables that hang
// off a project-like root table (found through foreign keys and declared
// relations), the portable JSON export of one project's rows, and the exact
// in-place restore of those rows in one transaction.
//
// A project's rows are defined by SQL: the root row is `id = ?`, and every
// table that joined the graph through a link holds the rows whose link
// columns point at the project's rows of the linked table (a recursive CTE
// follows self-references). The project id is always a bound parameter.
package project

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// BackupVersion is written into every project backup's metadata.
const BackupVersion = "1.0"

// Config says which table is the root and which links the schema lacks.
type Config struct {
	Table      string
	IDColumn   string
	NameColumn string
	Relations  []Relation
}

// Relation is a link the schema does not declare: Table.Column references
// References ("table.column"), as in [[projects.relation]].
type Relation struct {
	Table      string
	Column     string
	References string
}

// ErrBadID is wrapped by every refusal of a project id.
var ErrBadID = errors.New("not a usable project id")

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// CheckID refuses ids that could not be a directory name of their own:
// only letters, digits, '_' and '-' are allowed, so `<dir>/projects/<id>`
// can never reach outside its place.
func CheckID(id string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("project id %q: %w: use only letters, digits, '_' and '-' (at most 64)", id, ErrBadID)
	}
	return nil
}

// quote quotes an identifier for MySQL.
func quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// quoteAll quotes each name, with an optional alias prefix, joined by ", ".
func quoteAll(alias string, names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		if alias != "" {
			parts[i] = alias + "." + quote(n)
		} else {
			parts[i] = quote(n)
		}
	}
	return strings.Join(parts, ", ")
}
