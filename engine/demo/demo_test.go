package demo

import (
	"bytes"
	"context"
	"database/sql"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func seed(t *testing.T, opts Options) (*testdb.DB, Stats) {
	t.Helper()
	d := testdb.New(t)
	st, err := Seed(context.Background(), d.DB, opts)
	if err != nil {
		t.Fatalf("Seed(%+v): %v", opts, err)
	}
	return d, st
}

func count(t *testing.T, db *sql.DB, query string) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// plannedStrings is what the project plans promise at a scale.
func plannedStrings(scale float64) int64 {
	var n int64
	for _, p := range projectPlans {
		if p.strings < 100 {
			n += int64(p.strings)
		} else {
			n += int64(max(1, math.Round(float64(p.strings)*scale)))
		}
	}
	return n
}

func checkCounts(t *testing.T, d *testdb.DB, st Stats, scale float64) {
	t.Helper()
	for _, table := range Tables() {
		got := count(t, d.DB, "SELECT COUNT(*) FROM `"+table+"`")
		if got != st.Rows[table] {
			t.Errorf("table %s: Stats says %d rows, the table holds %d", table, st.Rows[table], got)
		}
		if got == 0 {
			t.Errorf("table %s is empty", table)
		}
	}
	if st.Rows["projects"] != 12 || st.Rows["languages"] != int64(len(languages)) || st.Rows["users"] != numUsers {
		t.Errorf("projects/languages/users = %d/%d/%d, want 12/%d/%d", st.Rows["projects"], st.Rows["languages"], st.Rows["users"], len(languages), numUsers)
	}
	if want := plannedStrings(scale); st.Rows["strings"] != want {
		t.Errorf("strings = %d, want %d from the project plans", st.Rows["strings"], want)
	}
	ratio := float64(st.Rows["translations"]) / float64(st.Rows["strings"])
	if ratio < 3.5 || ratio > 4.5 {
		t.Errorf("translations per string = %.2f, want about 4", ratio)
	}
}

func TestSeedSmallScale(t *testing.T) {
	d, st := seed(t, Options{Scale: 0.02, Seed: 1})
	checkCounts(t, d, st, 0.02)
	if st.Total() <= st.Rows["translations"] {
		t.Errorf("Total() = %d, not more than translations alone (%d)", st.Total(), st.Rows["translations"])
	}
	t.Logf("scale 0.02: %v in %v", st.Rows, st.Duration)
}

func TestSeedFullScale(t *testing.T) {
	d, st := seed(t, Options{Scale: 1, Seed: 1})
	checkCounts(t, d, st, 1)
	if s := st.Rows["strings"]; s < 45000 || s > 55000 {
		t.Errorf("strings = %d, want 50k ±10%%", s)
	}
	if tr := st.Rows["translations"]; tr < 180000 || tr > 220000 {
		t.Errorf("translations = %d, want 200k ±10%%", tr)
	}
	var biggest, biggestTr int64
	err := d.DB.QueryRow(`SELECT COUNT(DISTINCT s.id), COUNT(*) FROM strings s
		JOIN sections se ON se.id = s.section_id JOIN areas a ON a.id = se.area_id
		JOIN translations t ON t.string_id = s.id
		GROUP BY a.project_id ORDER BY COUNT(DISTINCT s.id) DESC LIMIT 1`).Scan(&biggest, &biggestTr)
	if err != nil {
		t.Fatal(err)
	}
	if biggest < 4500 || biggest > 5500 || biggestTr < 17000 || biggestTr > 23000 {
		t.Errorf("largest project: %d strings, %d translations; want ~5k and ~20k", biggest, biggestTr)
	}
	// Seconds on an idle machine; the bound only catches row-at-a-time
	// loading on a busy shared one.
	if st.Duration > 90*time.Second {
		t.Errorf("seeding at full scale took %v; it should take seconds", st.Duration)
	}
	t.Logf("scale 1.0: %d rows in %v (%v)", st.Total(), st.Duration, st.Rows)
}

func checksums(t *testing.T, db *sql.DB) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, table := range Tables() {
		var name string
		var sum sql.NullInt64
		if err := db.QueryRow("CHECKSUM TABLE `"+table+"`").Scan(&name, &sum); err != nil {
			t.Fatalf("CHECKSUM TABLE %s: %v", table, err)
		}
		if !sum.Valid {
			t.Fatalf("CHECKSUM TABLE %s: NULL", table)
		}
		out[table] = sum.Int64
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, _ := seed(t, Options{Scale: 0.03, Seed: 7})
	b, _ := seed(t, Options{Scale: 0.03, Seed: 7})
	c, _ := seed(t, Options{Scale: 0.03, Seed: 8})
	sa, sb, sc := checksums(t, a.DB), checksums(t, b.DB), checksums(t, c.DB)
	for _, table := range Tables() {
		if sa[table] != sb[table] {
			t.Errorf("table %s: same seed, checksums %d and %d", table, sa[table], sb[table])
		}
	}
	for _, table := range []string{"users", "projects", "strings", "translations"} {
		if sa[table] == sc[table] {
			t.Errorf("table %s: seeds 7 and 8 gave the same checksum %d", table, sa[table])
		}
	}
}

func TestForeignKeyGraph(t *testing.T) {
	d, _ := seed(t, Options{Scale: 0.01, Seed: 3})
	rows, err := d.DB.Query(`SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME, '->', REFERENCED_TABLE_NAME, '.', REFERENCED_COLUMN_NAME)
		FROM information_schema.KEY_COLUMN_USAGE
		WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL`, d.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"areas.project_id->projects.id", "projects.owner_id->users.id",
		"sections.area_id->areas.id", "sections.parent_id->sections.id",
		"string_comments.user_id->users.id", "strings.section_id->sections.id",
		"translations.language_id->languages.id", "translations.string_id->strings.id",
		"translations.translator_id->users.id",
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("foreign keys:\n got %q\nwant %q", got, want)
	}
	// Loaded with foreign_key_checks=0: prove every link, declared or not, holds.
	links := append(want, "string_comments.string_id->strings.id")
	for _, l := range links {
		child, parent, _ := strings.Cut(l, "->")
		ct, cc, _ := strings.Cut(child, ".")
		pt, pc, _ := strings.Cut(parent, ".")
		q := "SELECT COUNT(*) FROM `" + ct + "` c LEFT JOIN `" + pt + "` p ON p.`" + pc + "` = c.`" + cc + "` WHERE c.`" + cc + "` IS NOT NULL AND p.`" + pc + "` IS NULL"
		if n := count(t, d.DB, q); n != 0 {
			t.Errorf("%s: %d orphan rows", l, n)
		}
	}
	if n := count(t, d.DB, "SELECT COUNT(*) FROM sections WHERE parent_id IS NOT NULL"); n == 0 {
		t.Error("no nested sections")
	}
	if n := count(t, d.DB, "SELECT COUNT(*) FROM sections c JOIN sections p ON p.id = c.parent_id WHERE p.area_id <> c.area_id"); n != 0 {
		t.Errorf("%d sections nest under a section of another area", n)
	}
}

func TestProjectsConfigFitsSchema(t *testing.T) {
	d, _ := seed(t, Options{Scale: 0.01, Seed: 3})
	pc := ProjectsConfig()
	if pc.Table != "projects" || pc.IDColumn != "id" || pc.NameColumn != "name" || pc.Keep != 10 {
		t.Errorf("ProjectsConfig() = %+v", pc)
	}
	if len(pc.Relations) != 1 {
		t.Fatalf("relations = %+v, want the one for string_comments", pc.Relations)
	}
	r := pc.Relations[0]
	refTable, refCol, _ := strings.Cut(r.References, ".")
	for _, tc := range [][2]string{{pc.Table, pc.IDColumn}, {pc.Table, pc.NameColumn}, {r.Table, r.Column}, {refTable, refCol}} {
		n := count(t, d.DB, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"+d.Name+"' AND TABLE_NAME = '"+tc[0]+"' AND COLUMN_NAME = '"+tc[1]+"'")
		if n != 1 {
			t.Errorf("column %s.%s named by ProjectsConfig does not exist", tc[0], tc[1])
		}
	}
	declared := count(t, d.DB, "SELECT COUNT(*) FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '"+d.Name+"' AND TABLE_NAME = '"+r.Table+"' AND COLUMN_NAME = '"+r.Column+"' AND REFERENCED_TABLE_NAME IS NOT NULL")
	if declared != 0 {
		t.Errorf("%s.%s is a declared foreign key; the relation should be the only link", r.Table, r.Column)
	}
}

// capture is a sink that keeps generated rows in memory.
type capture map[string][][]any

func (c capture) row(table string, vals ...any) error {
	c[table] = append(c[table], vals)
	return nil
}

func TestTextRoundTrip(t *testing.T) {
	opts := Options{Scale: 0.02, Seed: 11}
	d, _ := seed(t, opts)
	want := capture{}
	if err := generate(opts, want); err != nil {
		t.Fatal(err)
	}
	rows, err := d.DB.Query("SELECT source_text, screenshot FROM strings ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var i, emojis, quotes, backslashes, cjk, newlines, blobs, nulBlobs int
	for ; rows.Next(); i++ {
		var text string
		var shot []byte
		if err := rows.Scan(&text, &shot); err != nil {
			t.Fatal(err)
		}
		if i >= len(want["strings"]) {
			t.Fatalf("more strings in the table than generated (%d)", len(want["strings"]))
		}
		w := want["strings"][i]
		if text != w[3].(string) {
			t.Errorf("strings row %d: text %q, generated %q", i+1, text, w[3])
		}
		wantShot, _ := w[6].([]byte)
		if !bytes.Equal(shot, wantShot) || (shot == nil) != (wantShot == nil) {
			t.Errorf("strings row %d: screenshot %x, generated %x", i+1, shot, wantShot)
		}
		for _, r := range text {
			switch {
			case r > 0xFFFF:
				emojis++
			case r >= 0x3040 && r <= 0x9FFF:
				cjk++
			}
		}
		quotes += strings.Count(text, "'") + strings.Count(text, `"`)
		backslashes += strings.Count(text, `\`)
		newlines += strings.Count(text, "\n")
		if shot != nil {
			blobs++
			if bytes.IndexByte(shot, 0) >= 0 {
				nulBlobs++
			}
		}
		if !utf8.ValidString(text) {
			t.Errorf("strings row %d: invalid UTF-8", i+1)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(want["strings"]) {
		t.Errorf("table has %d strings, generated %d", i, len(want["strings"]))
	}
	if emojis == 0 || quotes == 0 || backslashes == 0 || newlines == 0 || blobs == 0 || nulBlobs == 0 {
		t.Errorf("strings lack variety: emoji %d, quotes %d, backslashes %d, newlines %d, blobs %d (with NUL %d)", emojis, quotes, backslashes, newlines, blobs, nulBlobs)
	}
	if n := count(t, d.DB, "SELECT COUNT(*) FROM translations t JOIN languages l ON l.id = t.language_id WHERE l.code IN ('ja','zh','ko')"); n == 0 {
		t.Error("no CJK translations")
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM strings WHERE screenshot IS NULL",
		"SELECT COUNT(*) FROM strings WHERE max_length IS NULL",
		"SELECT COUNT(*) FROM translations WHERE translator_id IS NULL",
		"SELECT COUNT(*) FROM translations WHERE quality IS NULL",
		"SELECT COUNT(*) FROM sections WHERE parent_id IS NULL",
		"SELECT COUNT(*) FROM users WHERE last_login IS NULL",
		"SELECT COUNT(*) FROM projects WHERE description IS NULL",
	} {
		if count(t, d.DB, q) == 0 {
			t.Errorf("%s: no NULLs", q)
		}
	}
}

func TestSeedRefusesNonEmptyDatabase(t *testing.T) {
	d, _ := seed(t, Options{Scale: 0.01, Seed: 1})
	_, err := Seed(context.Background(), d.DB, Options{Scale: 0.01, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "already has rows") {
		t.Fatalf("second Seed: err = %v, want a refusal naming the table", err)
	}
	if _, err := Seed(context.Background(), d.DB, Options{Scale: -1}); err == nil {
		t.Fatal("Seed with a negative scale: no error")
	}
	// The pinned connection is discarded: the pool keeps normal checks.
	if n := count(t, d.DB, "SELECT @@SESSION.foreign_key_checks"); n != 1 {
		t.Errorf("foreign_key_checks leaked into the pool: %d", n)
	}
}
