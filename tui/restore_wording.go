package tui

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// restoreWhat says what a full restore does to database db, from the
// engine's plan (issue 13 item 9): which tables are replaced, which tables
// and views are dropped because the backup lacks them, which are new, and
// the backup's views counted apart from its tables.
func restoreWhat(p engine.RestorePlan, db string) []string {
	var lines []string
	if !p.Exists {
		lines = append(lines, fmt.Sprintf("Database %s does not exist now; it will be created.", db))
	}
	if len(p.Replaced) > 0 {
		lines = append(lines, fmt.Sprintf("Replaced with the backup's copy: %s: %s", plural(len(p.Replaced), "table"), nameList(p.Replaced)))
	}
	known := len(p.Replaced)+len(p.Created)+len(p.Views) > 0
	switch {
	case len(p.Dropped) > 0 && known:
		lines = append(lines, fmt.Sprintf("Dropped, not in the backup: %s", nameList(p.Dropped)))
	case len(p.Dropped) > 0: // no manifest says what the file holds: a warning explains
		lines = append(lines, fmt.Sprintf("Dropped first: %s", nameList(p.Dropped)))
	}
	if len(p.Created) > 0 {
		what := "New"
		if !p.Exists {
			what = "Created"
		}
		lines = append(lines, fmt.Sprintf("%s from the backup: %s: %s", what, plural(len(p.Created), "table"), nameList(p.Created)))
	}
	if len(p.Views) > 0 {
		lines = append(lines, fmt.Sprintf("Views from the backup: %d: %s", len(p.Views), nameList(p.Views)))
	}
	if p.Exists && !known && len(p.Dropped) == 0 {
		lines = append(lines, fmt.Sprintf("Everything in %s will be replaced.", db))
	}
	return lines
}

// nameList joins names, at most six, then says how many more there are.
func nameList(names []string) string {
	const most = 6
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:most], ", ") + fmt.Sprintf(", and %d more", len(names)-most)
}
