package main

import (
	"context"
	"os"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) {
	if code, ok := runChild(os.Stdout, os.Stderr); ok { // the read-ceiling child
		os.Exit(code)
	}
	testdb.Main(m)
}

func TestDatasetDeterministic(t *testing.T) {
	ctx := context.Background()
	opts := datasetOptions{Scale: 0.005, Seed: 42}
	a, b, c := testdb.New(t), testdb.New(t), testdb.New(t)
	stA, err := loadDataset(ctx, a.DB, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadDataset(ctx, b.DB, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := loadDataset(ctx, c.DB, datasetOptions{Scale: 0.005, Seed: 43}); err != nil {
		t.Fatal(err)
	}
	sa, err := tableChecksums(ctx, a.DB, a.Name)
	if err != nil {
		t.Fatal(err)
	}
	// Issue 21 item 7: a failed query must fail the test, not leave a nil
	// map whose zero checksums "differ" from seed 42's.
	sb, err := tableChecksums(ctx, b.DB, b.Name)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := tableChecksums(ctx, c.DB, c.Name)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []map[string]int64{sa, sb, sc} {
		if len(s) != 3+numLookups {
			t.Errorf("%d tables, want %d", len(s), 3+numLookups)
		}
	}
	if d := compareChecksums(sa, sb); d != nil {
		t.Errorf("same seed, different data: %v", d)
	}
	for _, table := range []string{"events", "documents", "audit_log", "lookup_07"} {
		if _, ok := sc[table]; !ok {
			t.Errorf("table %s: no checksum for seed 43", table)
		} else if sa[table] == sc[table] {
			t.Errorf("table %s: seeds 42 and 43 gave the same checksum", table)
		}
	}
	for table, n := range stA.Rows {
		var got int64
		if err := a.DB.QueryRow("SELECT COUNT(*) FROM " + quoteIdent(table)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != n || n == 0 {
			t.Errorf("table %s: loader counted %d rows, table holds %d", table, n, got)
		}
	}
	if stA.Rows["events"] != 5000 || stA.Rows["documents"] != 10 || stA.Rows["audit_log"] != 300 {
		t.Errorf("rows at scale 0.005: %v, want 5000 events, 10 documents, 300 audit rows", stA.Rows)
	}
	var pk, dups, big int64
	for _, q := range []struct {
		dst  *int64
		sql  string
		args []any
	}{
		{&pk, "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'audit_log' AND INDEX_NAME = 'PRIMARY'", []any{a.Name}},
		{&dups, "SELECT COUNT(*) - COUNT(DISTINCT ts, actor, action, detail) FROM audit_log", nil},
		{&big, "SELECT COUNT(*) FROM documents WHERE COALESCE(LENGTH(body), LENGTH(attachment)) BETWEEN 10000 AND 100000", nil},
	} {
		if err := a.DB.QueryRow(q.sql, q.args...).Scan(q.dst); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	if pk != 0 || dups == 0 {
		t.Errorf("audit_log: primary key parts %d (want 0), duplicate rows %d (want some)", pk, dups)
	}
	if big != stA.Rows["documents"] {
		t.Errorf("%d of %d documents are 10–100 KB", big, stA.Rows["documents"])
	}
}

func TestCompareChecksums(t *testing.T) {
	src := map[string]int64{"a": 1, "b": 2}
	if d := compareChecksums(src, map[string]int64{"a": 1, "b": 2}); d != nil {
		t.Errorf("equal maps: %v", d)
	}
	d := compareChecksums(src, map[string]int64{"a": 1, "b": 3, "c": 4})
	if len(d) != 2 {
		t.Errorf("diffs = %v, want a changed b and an extra c", d)
	}
	if d := compareChecksums(src, map[string]int64{"a": 1}); len(d) != 1 {
		t.Errorf("diffs = %v, want a missing b", d)
	}
}
