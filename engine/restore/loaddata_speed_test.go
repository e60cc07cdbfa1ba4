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
// dump of two shapes (narrow rows with secondary keys; wide text rows)
// and logs rows/s; both ways must give the same CHECKSUM TABLE, and LOAD
// DATA must have carried the rows.
func TestLoadDataSpeedByShape(t *testing.T) {
	s, db := infileServer(t)
	shapes := map[string][]string{
		"narrow": {"CREATE TABLE src_narrow.t (id INT PRIMARY KEY, a INT, b BIGINT, c VARCHAR(30), d DATETIME, e DECIMAL(12,2), KEY (a), KEY (c)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"INSERT INTO src_narrow.t SELECT seq, seq % 1000, seq * 7919, CONCAT('name ', seq % 5000), '2026-01-01' + INTERVAL seq SECOND, seq / 7 FROM src_narrow.seq_1_to_300000"},
		"wide": {"CREATE TABLE src_wide.t (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, b BLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"INSERT INTO src_wide.t SELECT seq, CONCAT('title ', seq), REPEAT(CONCAT('word', seq % 97, ' \\t\\n'), 60), UNHEX(SHA2(seq, 512)) FROM src_wide.seq_1_to_40000"},
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
		var took [2]time.Duration
		var sums [2]map[string]string
		for k, off := range []bool{true, false} {
			target := fmt.Sprintf("%s_%d", name, k)
			start := time.Now()
			res, err := run(t, s, target, file.Bytes(), Options{NoLoadData: off})
			took[k] = time.Since(start)
			if err != nil {
				t.Fatal(err)
			}
			if off != (res.LoadDataRows == 0) {
				t.Errorf("%s: LOAD DATA off %v, %d of %d rows by LOAD DATA", name, off, res.LoadDataRows, res.Rows)
			}
			sums[k] = tableSums(t, db, target, "t")
		}
		if sums[0]["t"] != sums[1]["t"] {
			t.Errorf("%s: checksum %s by INSERT, %s by LOAD DATA", name, sums[0]["t"], sums[1]["t"])
		}
		var n int
		db.QueryRow("SELECT COUNT(*) FROM " + src + ".t").Scan(&n)
		t.Logf("%s: %d rows, %s of SQL: INSERT %v (%.0f rows/s), LOAD DATA %v (%.0f rows/s), %.2f×", name, n, fmt.Sprint(file.Len()>>20, " MiB"),
			took[0].Round(time.Millisecond), float64(n)/took[0].Seconds(), took[1].Round(time.Millisecond), float64(n)/took[1].Seconds(), took[1].Seconds()/took[0].Seconds())
	}
}
