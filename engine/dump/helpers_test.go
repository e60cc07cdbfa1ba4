package dump

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func loadTorture(t *testing.T) *testdb.DB {
	t.Helper()
	d := testdb.New(t)
	f, err := os.Open("testdata/torture.sql")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	testdb.LoadSQL(t, d.Server, d.Name, f)
	return d
}

func dumpTo(t *testing.T, ctx context.Context, cfg *mysql.Config, db string, parallel int, w io.Writer) (Result, error) {
	t.Helper()
	return Run(ctx, Options{MySQL: cfg, Database: db, Parallel: parallel, ToolVersion: "test", ChunkRows: 1000}, w, nil)
}

// fingerprint describes a database so two copies can be compared:
// checksums and row counts of every table, and the definitions of every
// table, view, routine, trigger, event and sequence.
func fingerprint(t *testing.T, db *sql.DB, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	q := func(query string, args ...any) [][]string {
		rows, err := db.Query(query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var res [][]string
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = fmt.Sprintf("%v:%s", v.Valid, v.String)
			}
			res = append(res, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return res
	}
	qi := func(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }
	for _, r := range q("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", name) {
		tn := strings.TrimPrefix(r[0], "true:")
		full := qi(name) + "." + qi(tn)
		switch r[1] {
		case "true:VIEW":
			out["view "+tn] = strings.Join(q("SHOW CREATE VIEW " + full)[0], "|")
		case "true:SEQUENCE":
			out["sequence "+tn] = strings.Join(q("SHOW CREATE SEQUENCE " + full)[0], "|")
			out["sequence value "+tn] = strings.Join(q("SELECT * FROM " + full)[0], "|")
		default:
			out["table "+tn] = strings.Join(q("SHOW CREATE TABLE " + full)[0], "|")
			out["checksum "+tn] = strings.Join(q("CHECKSUM TABLE " + full + " EXTENDED")[0][1:], "|")
			out["count "+tn] = q("SELECT COUNT(*) FROM " + full)[0][0]
		}
	}
	for _, r := range q("SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?", name) {
		typ, rn := strings.TrimPrefix(r[0], "true:"), strings.TrimPrefix(r[1], "true:")
		out["routine "+rn] = strings.Join(q("SHOW CREATE " + typ + " " + qi(name) + "." + qi(rn))[0], "|")
	}
	for _, r := range q("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?", name) {
		tn := strings.TrimPrefix(r[0], "true:")
		row := q("SHOW CREATE TRIGGER " + qi(name) + "." + qi(tn))[0]
		out["trigger "+tn] = strings.Join(row[:6], "|") // without Created
	}
	for _, r := range q("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?", name) {
		en := strings.TrimPrefix(r[0], "true:")
		out["event "+en] = strings.Join(q("SHOW CREATE EVENT " + qi(name) + "." + qi(en))[0], "|")
	}
	return out
}

func compareFingerprints(t *testing.T, want, got map[string]string) {
	t.Helper()
	var keys []string
	for k := range want {
		keys = append(keys, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("restored copy has an extra %s", k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got[k] != want[k] {
			t.Errorf("%s differs after restore:\nsource:   %.600s\nrestored: %.600s", k, want[k], got[k])
		}
	}
}
