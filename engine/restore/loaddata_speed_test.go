package restore

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/dump"
)

// TestLoadDataSpeedByShape measures the loader both ways on lifeboat's own
// dump of two shapes (narrow rows with secondary keys; wide text rows):
// INSERTs only and LOAD DATA (every statement of these tables converts);
// it logs rows/s. Both give the same CHECKSUM TABLE.
func TestLoadDataSpeedByShape(t *testing.T) {
	s, db := infileServer(t)
	shapes := map[string][]string{
		"narrow": {"CREATE TABLE src_narrow.t (id INT PRIMARY KEY, a INT, b BIGINT, c VARCHAR(30), d DATETIME, e DECIMAL(12,2), KEY (a), KEY (c)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"INSERT INTO src_narrow.t SELECT seq, seq % 1000, seq * 7919, CONCAT('name ', seq % 5000), '2026-01-01' + INTERVAL seq SECOND, seq / 7 FROM src_narrow.seq_1_to_150000"},
		"wide": {"CREATE TABLE src_wide.t (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, b BLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"INSERT INTO src_wide.t SELECT seq, CONCAT('title ', seq), REPEAT(CONCAT('word', seq % 97, ' \\t\\n'), 60), UNHEX(SHA2(seq, 512)) FROM src_wide.seq_1_to_20000"},
	}
	for name, ddl := range shapes {
		src := "src_" + name
		for _, q := range append([]string{"CREATE DATABASE " + src}, ddl...) {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		var file bytes.Buffer
		if _, err := dump.Run(context.Background(), dump.Options{MySQL: s.Config(src), Database: src, Parallel: 2, ToolVersion: "test"}, &file, nil); err != nil {
			t.Fatal(err)
		}
		ways := []struct {
			name string
			opts Options
		}{{"INSERT", Options{NoLoadData: true}}, {"LOAD DATA", Options{}}}
		var sums []string
		line := fmt.Sprintf("%s: %s of SQL:", name, fmt.Sprint(file.Len()>>20, " MiB"))
		var insert time.Duration
		for k, w := range ways {
			target := fmt.Sprintf("%s_%d", name, k)
			start := time.Now()
			res, err := run(t, s, target, file.Bytes(), w.opts)
			took := time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if k == 0 {
				insert = took
			}
			if (k == 0) != (res.LoadDataRows == 0) || (k == 1 && res.LoadDataRows != res.Rows) {
				t.Errorf("%s, %s: %d of %d rows by LOAD DATA", name, w.name, res.LoadDataRows, res.Rows)
			}
			sums = append(sums, tableSums(t, db, target, "t")["t"])
			line += fmt.Sprintf(" %s %v (%.0f rows/s, %.2f×, %d rows by LOAD DATA);", w.name, took.Round(time.Millisecond), float64(res.Rows)/took.Seconds(), took.Seconds()/insert.Seconds(), res.LoadDataRows)
		}
		if sums[0] != sums[1] {
			t.Errorf("%s: checksums %v (INSERT, LOAD DATA)", name, sums)
		}
		t.Log(line)
	}
}
