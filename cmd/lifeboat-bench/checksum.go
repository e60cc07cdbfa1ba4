package main

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// tableChecksums returns CHECKSUM TABLE of every base table in schema.
func tableChecksums(ctx context.Context, db *sql.DB, schema string) (map[string]int64, error) {
	tables, err := listTables(ctx, db, schema)
	if err != nil {
		return nil, err
	}
	sums := make(map[string]int64, len(tables))
	for _, t := range tables {
		var name string
		var sum sql.NullInt64
		if err := db.QueryRowContext(ctx, "CHECKSUM TABLE "+quoteIdent(schema)+"."+quoteIdent(t)).Scan(&name, &sum); err != nil {
			return nil, fmt.Errorf("CHECKSUM TABLE %s.%s: %w", schema, t, err)
		}
		if !sum.Valid {
			return nil, fmt.Errorf("CHECKSUM TABLE %s.%s: NULL (table missing or unreadable)", schema, t)
		}
		sums[t] = sum.Int64
	}
	return sums, nil
}

// compareChecksums lists every difference between the source and a
// restored copy; nil means they match.
func compareChecksums(src, got map[string]int64) []string {
	var diffs []string
	for t, want := range src {
		g, ok := got[t]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("table %s missing", t))
		case g != want:
			diffs = append(diffs, fmt.Sprintf("table %s checksum %d, source %d", t, g, want))
		}
	}
	for t := range got {
		if _, ok := src[t]; !ok {
			diffs = append(diffs, fmt.Sprintf("extra table %s", t))
		}
	}
	slices.Sort(diffs)
	return diffs
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }
