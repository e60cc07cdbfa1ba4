package tui

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// databaseLines list a whole-server backup's databases in its details
// (issue 17): tables, rows and each one's share of the dump; then how
// many accounts it holds. A backup of one database shows none.
func databaseLines(st Styles, m *engine.Manifest) []string {
	if len(m.Databases) < 2 {
		return nil
	}
	lines := []string{"", st.ColHeader.Render(fmt.Sprintf("  %-30s %7s %12s %10s", "DATABASE", "TABLES", "ROWS", "SIZE"))}
	for _, db := range m.Databases {
		tables, rows := 0, int64(0)
		for k, n := range m.Tables {
			if strings.HasPrefix(k, db+".") {
				tables++
				rows += n
			}
		}
		sz := "-"
		if b, ok := m.DatabaseBytes[db]; ok {
			sz = size(b)
		}
		lines = append(lines, fmt.Sprintf("  %-30s %7d %12s %10s", engine.Printable(db), tables, count(rows), sz))
	}
	if len(m.Accounts) > 0 {
		lines = append(lines, fmt.Sprintf("  and %s", plural(len(m.Accounts), "account")))
	}
	return lines
}
