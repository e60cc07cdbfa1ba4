package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// Every shape loads deterministically: the same seed gives the same
// checksums, another seed different ones, and the row counts follow the
// scale.
func TestShapesDeterministic(t *testing.T) {
	ctx := context.Background()
	want := map[string]map[string]int64{
		"compressible": {"orders": 6000},
		"wide":         {"articles": 25},
	}
	for name, rows := range want {
		sh, ok := shapeNamed(name)
		if !ok {
			t.Fatalf("no shape %s", name)
		}
		a, b, c := testdb.New(t), testdb.New(t), testdb.New(t)
		st, err := loadShape(ctx, a.DB, sh, datasetOptions{Scale: 0.005, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := loadShape(ctx, b.DB, sh, datasetOptions{Scale: 0.005, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		if _, err := loadShape(ctx, c.DB, sh, datasetOptions{Scale: 0.005, Seed: 8}); err != nil {
			t.Fatal(err)
		}
		sums := make([]map[string]int64, 3)
		for i, d := range []*testdb.DB{a, b, c} {
			if sums[i], err = tableChecksums(ctx, d.DB, d.Name); err != nil {
				t.Fatal(err)
			}
		}
		if d := compareChecksums(sums[0], sums[1]); d != nil {
			t.Errorf("%s: same seed, different data: %v", name, d)
		}
		for table, n := range rows {
			if st.Rows[table] != n {
				t.Errorf("%s: %s has %d rows at scale 0.005, want %d", name, table, st.Rows[table], n)
			}
			if sums[0][table] == sums[2][table] {
				t.Errorf("%s: %s: seeds 7 and 8 gave the same checksum", name, table)
			}
		}
	}
}

// The wide shape's bodies are long and the compressible shape's rows short.
func TestShapesHaveTheirShape(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	for _, name := range []string{"compressible", "wide"} {
		sh, _ := shapeNamed(name)
		if _, err := loadShape(ctx, d.DB, sh, datasetOptions{Scale: 0.002, Seed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	var minBody, avgRow float64
	if err := d.DB.QueryRow("SELECT MIN(LENGTH(body)) FROM articles").Scan(&minBody); err != nil {
		t.Fatal(err)
	}
	if err := d.DB.QueryRow("SELECT AVG(LENGTH(sku) + LENGTH(status) + LENGTH(country) + COALESCE(LENGTH(coupon), 0)) FROM orders").Scan(&avgRow); err != nil {
		t.Fatal(err)
	}
	if minBody < 4000 {
		t.Errorf("wide: shortest body %v bytes, want at least 4000", minBody)
	}
	if avgRow > 30 {
		t.Errorf("compressible: %v bytes of text per row, want short rows", avgRow)
	}
}

func TestParseShapes(t *testing.T) {
	got, err := parseShapes(" mixed,compressible ")
	if err != nil || len(got) != 2 || got[0].name != "mixed" || got[1].name != "compressible" {
		t.Errorf("parseShapes: %v, %v", got, err)
	}
	if _, err := parseShapes("mixed,huge"); err == nil || !strings.Contains(err.Error(), `"huge"`) || !strings.Contains(err.Error(), "compressible,wide,mixed") {
		t.Errorf("unknown shape: err %v, want it named with the known ones", err)
	}
	if _, err := parseShapes(","); err == nil {
		t.Error("no shape: no error")
	}
}

// A scale-10 run compares its time per GB with the stored scale-1 figures.
func TestScaleTable(t *testing.T) {
	dir := t.TempDir()
	one := scaleFigures{Scale: 1, Shapes: map[string]shapeFigures{
		"compressible": {SQLBytes: 1e8, BackupWall: 1, BackupRSS: 40 << 20, RestoreWall: 4, RestoreRSS: 50 << 20},
		"wide":         {SQLBytes: 1e8, BackupWall: 1, BackupRSS: 40 << 20, RestoreWall: 2, RestoreRSS: 50 << 20}}}
	if err := saveFigures(dir, one); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "scale-1.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("scale-1.json: %v, mode %v", err, st.Mode().Perm())
	}
	ten := scaleFigures{Scale: 10, Shapes: map[string]shapeFigures{
		"compressible": {SQLBytes: 1e9, BackupWall: 10.5, BackupRSS: 45 << 20, RestoreWall: 40, RestoreRSS: 50 << 20},
		"wide":         {SQLBytes: 1e9, BackupWall: 13, BackupRSS: 160 << 20, RestoreWall: 20, RestoreRSS: 50 << 20}}}
	var out strings.Builder
	reportScale(&out, &out, flags{scale: 10, results: dir}, ten)
	s := out.String()
	for _, want := range []string{
		"| compressible | 954 MiB | 10.5 | 40.0 | 45 MiB | 50 MiB | 1.05× | 1.00× | 40 MiB / 50 MiB |",
		"| compressible: backup time per GB within 10% of scale 1 | 1.05× | pass |",
		"| wide: backup time per GB within 10% of scale 1 | 1.30× | FAIL |",
		"| wide: peak RSS < 150 MB at both scales | 160.00 MiB | FAIL |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("scale table lacks %q:\n%s", want, s)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "scale-10.json")); err != nil {
		t.Errorf("the scale-10 figures were not kept: %v", err)
	}
	out.Reset()
	reportScale(&out, &out, flags{scale: 10, results: t.TempDir()}, ten)
	if !strings.Contains(out.String(), "run `make bench` (SCALE=1) first") {
		t.Errorf("without scale-1 figures: %s", out.String())
	}
}
