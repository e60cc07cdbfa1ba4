package dump

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// allDatabases is the Options.Databases value for every database but the
// system schemas.
const allDatabases = "*"

// several reports a dump of more than one database (or of all): names in
// the result are then qualified with their database.
func (o Options) several() bool {
	return len(o.Databases) > 1 || (len(o.Databases) == 1 && o.Databases[0] == allDatabases)
}

// all reports Databases = ["*"].
func (o Options) all() bool { return len(o.Databases) == 1 && o.Databases[0] == allDatabases }

// label names what is dumped, for errors.
func (o Options) label() string {
	if len(o.Databases) == 0 {
		return qi(o.Database)
	}
	if o.all() {
		return "all databases"
	}
	q := make([]string, len(o.Databases))
	for i, db := range o.Databases {
		q[i] = qi(db)
	}
	return strings.Join(q, ", ")
}

// systemSchema reports the server's own schemas, never dumped by "*".
func systemSchema(name string) bool {
	switch strings.ToLower(name) {
	case "mysql", "information_schema", "performance_schema", "sys":
		return true
	}
	return false
}

// selectDatabases resolves what to dump inside the snapshot: "*" becomes
// every application database; a listed database that does not exist is
// an error that names it.
func selectDatabases(ctx context.Context, c *sql.Conn, opts Options) ([]string, error) {
	if len(opts.Databases) == 0 {
		return []string{opts.Database}, nil
	}
	have, err := names(ctx, c, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME")
	if err != nil {
		return nil, fmt.Errorf("list databases: %w", err)
	}
	if opts.all() {
		var out []string
		for _, db := range have {
			if !systemSchema(db) {
				out = append(out, db)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("the server holds no database but the system schemas: nothing to back up")
		}
		return out, nil
	}
	exists := map[string]bool{}
	for _, db := range have {
		exists[db] = true
	}
	for _, db := range opts.Databases {
		if !exists[db] {
			return nil, fmt.Errorf("database %s does not exist on the server (or the account cannot see it): fix database.names or grant SELECT on it", qi(db))
		}
	}
	return append([]string(nil), opts.Databases...), nil
}
