package verify

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// CheckDatabases names the databases of a file of several, as restore
// plans them (issue 17).
const CheckDatabases = "databases"

// foreignPick is how a file without a manifest that holds several
// databases (mariadb-dump --all-databases, --databases a b) is read: as
// restore reads it, every application database through a gate of its
// own, the system schemas left alone. dbs are the file's databases in
// file order (Options.Databases). nil for one database or none.
func foreignPick(dbs []string) (*sqlsplit.Pick, []string) {
	if len(dbs) < 2 {
		return nil, nil
	}
	p := &sqlsplit.Pick{Targets: map[string]string{}}
	var skipped []string
	for _, db := range dbs {
		if sqlsplit.SystemSchema(db) {
			skipped = append(skipped, db)
			continue
		}
		p.Allowed = append(p.Allowed, db)
		p.Targets[db] = db
	}
	return p, skipped
}

// partTally counts each database's tables and rows as the pass reads
// its part.
type partTally map[string]*partCount

type partCount struct{ tables, rows int64 }

func (t partTally) note(part string, st *sqlsplit.Statement) {
	if t == nil || part == "" {
		return
	}
	c := t[part]
	if c == nil {
		c = &partCount{}
		t[part] = c
	}
	switch st.Kind {
	case sqlsplit.CreateTable:
		c.tables++
	case sqlsplit.Insert:
		c.rows += int64(st.Rows)
	}
}

// databasesCheck lists every database the pass read part by part, with
// its tables and rows, the ones left alone and the account statements
// (restored only with --accounts).
func databasesCheck(pick *sqlsplit.Pick, tally partTally, skipped []string, accounts int64, streamErr error) Check {
	c := Check{Name: CheckDatabases}
	if streamErr != nil {
		c.Detail = "not read to the end: the stream could not be read"
		return c
	}
	var each []string
	for _, db := range pick.Allowed {
		if _, ok := pick.Targets[db]; !ok {
			continue
		}
		n := tally[db]
		if n == nil {
			n = &partCount{}
		}
		each = append(each, fmt.Sprintf("%s (%s, %s)", db, plural(n.tables, "table"), plural(n.rows, "row")))
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%s, each read through a gate of its own, as restore reads them: %s", plural(int64(len(each)), "database"), strings.Join(each, ", "))
	if len(skipped) > 0 {
		sort.Strings(skipped)
		c.Detail += "; left alone (system schema): " + strings.Join(skipped, ", ")
	}
	if accounts > 0 {
		c.Detail += fmt.Sprintf("; %s account statements, restored only with --accounts", humanize.Comma(accounts))
	}
	return c
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return humanize.Comma(n) + " " + word + "s"
}
