package binlog

import (
	"fmt"
	"regexp"
	"strings"
)

// Confined checks a statement of the log before replay into a copy of
// source: it may touch only the database it ran in. Row events are
// filtered by their table's database; statements (DDL, statement-format
// DML) carry their own names, which mariadb-binlog does not rewrite.
func Confined(q Query, source string, others []string) error {
	head := strings.ToUpper(strings.Join(strings.Fields(q.SQL + " x x x")[:3], " "))
	if strings.HasSuffix(head, " DATABASE") || strings.Contains(head, " DATABASE ") || strings.Contains(head, " SCHEMA") {
		if q.Database == source || strings.Contains(strings.ToLower(q.SQL), strings.ToLower(source)) {
			return fmt.Errorf("it is a database statement (%s), which replay into a copy cannot rename", head)
		}
		return nil
	}
	if q.Database != source { // not replayed: refuse only if it changed source
		if qualifiedWith(q.SQL, source) {
			return fmt.Errorf("it ran in database %q and names %q: the replay, which keeps %q's own statements, would miss it", q.Database, source, source)
		}
		return nil
	}
	for _, bad := range []string{"CREATE DATABASE", "CREATE SCHEMA", "DROP DATABASE", "DROP SCHEMA", "ALTER DATABASE", "ALTER SCHEMA",
		"GRANT", "REVOKE", "CREATE USER", "DROP USER", "ALTER USER", "RENAME USER", "SET GLOBAL", "SET PASSWORD", "INSTALL", "UNINSTALL"} {
		if strings.HasPrefix(head, bad) {
			return fmt.Errorf("it is %s, outside one database", bad)
		}
	}
	for _, o := range others {
		if o == source {
			continue
		}
		if qualifiedWith(q.SQL, o) {
			return fmt.Errorf("it names database %q", o)
		}
	}
	return nil
}

func qualifiedWith(sql, db string) bool {
	re := regexp.MustCompile("(?i)(^|[^A-Za-z0-9_$`])(`" + regexp.QuoteMeta(strings.ReplaceAll(db, "`", "``")) + "`|" + regexp.QuoteMeta(db) + `)\s*\.`)
	return re.MatchString(sql)
}
