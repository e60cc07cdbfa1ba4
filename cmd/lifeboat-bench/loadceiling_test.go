package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadCeilingLoadsTheSameRows: the load ceiling's child loads the
// prepared files (tables in several chunks of whole lines) into a fresh
// database with the same CHECKSUM TABLE as the source and every secondary
// key back in place (deferred, then added); a file that lost a row is a
// mismatch.
func TestLoadCeilingLoadsTheSameRows(t *testing.T) {
	b := newTestBench(t)
	ctx := context.Background()
	if err := b.allowLocalInfile(ctx); err != nil {
		t.Fatal(err)
	}
	saved := chunkBytes
	chunkBytes = 64 << 10 // several chunks per table, loaded in parallel
	defer func() { chunkBytes = saved }()
	ceiling, dir, err := b.prepareLoadCeiling(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, loadPlanFile))
	if err != nil {
		t.Fatal(err)
	}
	var plan []ceilingTable
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	deferred, chunked := 0, 0
	for _, p := range plan {
		if len(p.Files) > 1 {
			chunked++
		}
		if p.Alter != "" {
			deferred++
			if strings.Contains(p.Create, "\n  KEY `") || strings.Contains(p.Create, "UNIQUE KEY") {
				t.Errorf("%s: deferred keys still in its CREATE TABLE:\n%s", p.Name, p.Create)
			}
		}
	}
	if len(plan) != len(b.sums) || deferred == 0 || chunked == 0 {
		t.Fatalf("plan of %d tables (source %d), %d with deferred keys, %d in several chunks", len(plan), len(b.sums), deferred, chunked)
	}

	var mismatches int
	var log bytes.Buffer
	s := b.restoreOnce(ctx, ceiling, dir, &mismatches, &log)
	if s.Err != nil || mismatches != 0 || s.Wall <= 0 || s.Size <= 0 {
		t.Fatalf("load ceiling: err %v, mismatches %d, wall %v, size %d\n%s", s.Err, mismatches, s.Wall, s.Size, log.String())
	}
	target, err := b.newTarget(ctx, "keys")
	if err != nil {
		t.Fatal(err)
	}
	defer b.dropTarget(target)
	if s := ceiling.restore(b, ctx, dir, target); s.Err != nil {
		t.Fatal(s.Err)
	}
	keys := func(schema string) (n int) {
		q := "SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?"
		if err := b.db.QueryRowContext(ctx, q, schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got, want := keys(target), keys(b.src); got != want || want == 0 {
		t.Errorf("indexes after the load ceiling: %d, source %d", got, want)
	}

	// One row fewer in one file: the checksum comparison sees it.
	for _, p := range plan {
		if len(p.Files) == 0 {
			continue
		}
		path := filepath.Join(dir, p.Files[0])
		rows, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.IndexByte(rows, '\n'); i > 0 {
			if err := os.WriteFile(path, rows[i+1:], 0o600); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if s := b.restoreOnce(ctx, ceiling, dir, &mismatches, io.Discard); s.Err != nil || mismatches != 1 {
		t.Errorf("spoiled file: err %v, mismatches %d, want 1", s.Err, mismatches)
	}
}

func TestDeferKeys(t *testing.T) {
	create := "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `u` (`a`),\n  KEY `k` (`a`,`id`)\n) ENGINE=InnoDB"
	c, alter := deferKeys(create, "t")
	if want := "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB"; c != want {
		t.Errorf("create = %q", c)
	}
	if alter != "ALTER TABLE `t` ADD UNIQUE KEY `u` (`a`), ADD KEY `k` (`a`,`id`)" {
		t.Errorf("alter = %q", alter)
	}
	for _, keep := range []string{strings.Replace(create, "InnoDB", "MyISAM", 1), strings.Replace(create, "  KEY `k` (`a`,`id`)", "  CONSTRAINT `f` FOREIGN KEY (`a`) REFERENCES `p` (`id`)", 1)} {
		if c, alter := deferKeys(keep, "t"); c != keep || alter != "" {
			t.Errorf("deferKeys(%q) changed it: %q, %q", keep, c, alter)
		}
	}
}
