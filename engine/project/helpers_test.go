package project

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// graphCfg is the config for testdata/graph.sql.
var graphCfg = Config{Table: "projects", IDColumn: "id", NameColumn: "name",
	Relations: []Relation{{Table: "notes", Column: "item_id", References: "items.id"}}}

var graphTables = []string{"owners", "projects", "areas", "sections", "items", "notes", "tags", "links", "log"}

// loadSQL runs a testdata file statement by statement (statements end
// with ";" at the end of a line; trigger bodies keep inner lines).
func loadSQL(t *testing.T, d *testdb.DB, file string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var stmt strings.Builder
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "--") {
			continue
		}
		stmt.WriteString(line + "\n")
		trim := strings.TrimSpace(line)
		inBody := strings.Contains(stmt.String(), "BEGIN\n") && !strings.HasPrefix(trim, "END;")
		if strings.HasSuffix(trim, ";") && !inBody {
			d.MustExec(t, strings.TrimSuffix(strings.TrimSpace(stmt.String()), ";"))
			stmt.Reset()
		}
	}
}

// checksums is CHECKSUM TABLE of each table.
func checksums(t *testing.T, db *sql.DB, tables ...string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tb := range tables {
		var name string
		var sum sql.NullInt64
		if err := db.QueryRow("CHECKSUM TABLE "+quote(tb)).Scan(&name, &sum); err != nil {
			t.Fatalf("checksum %s: %v", tb, err)
		}
		if !sum.Valid {
			t.Fatalf("checksum %s: NULL (table missing?)", tb)
		}
		out[tb] = sum.Int64
	}
	return out
}

func export(t *testing.T, db *sql.DB, cfg Config, id, dir string) ExportResult {
	t.Helper()
	now := time.Now()
	res, err := Export(context.Background(), db, cfg, ExportOptions{ID: id, Dir: dir, Name: fileName(id, now), CreatedAt: now, CreatedBy: "tester", CreatedByName: "Test Er"})
	if err != nil {
		t.Fatalf("export project %s: %v", id, err)
	}
	return res
}

func scalar(t *testing.T, db *sql.DB, q string, args ...any) string {
	t.Helper()
	var s sql.NullString
	if err := db.QueryRow(q, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}

// fileName is a backup name as the engine gives one (catalog.ProjectName,
// which this package cannot import: catalog imports it).
func fileName(id string, t time.Time) string {
	return "project_" + id + "_backup_" + t.Format("2006-01-02_15-04-05") + ".json"
}
