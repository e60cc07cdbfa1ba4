package dump

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// BenchmarkSeveralDatabases compares a whole-server dump of three
// databases (200,000 rows each) with a dump of one database of the same
// 600,000 rows, gzip, interleaved: issue 17 asks that several databases
// be no slower per byte than one. Reports SQL-MB/s for each.
// Run: LIFEBOAT_BENCH_ROUNDS=3 go test ./engine/dump -run X -bench SeveralDatabases -benchtime 1x
func BenchmarkSeveralDatabases(b *testing.B) {
	const table = `CREATE TABLE t (id BIGINT PRIMARY KEY, n INT, title VARCHAR(120) CHARACTER SET utf8mb4, at DATETIME(6), KEY (n))`
	fill := func(d *testdb.DB, rows int) {
		d.MustExec(b, table, `INSERT INTO t SELECT seq, seq * 7919 % 100000, CONCAT('it''s "item" ', seq, ' ünï'),
			TIMESTAMP('2024-01-01') + INTERVAL seq SECOND FROM seq_1_to_`+itoa(rows))
	}
	one := testdb.New(b)
	fill(one, 600_000)
	var names []string
	for range 3 {
		d := testdb.New(b)
		fill(d, 200_000)
		names = append(names, d.Name)
	}
	for round := 0; round < benchRounds(); round++ {
		for _, mode := range []string{"one-database", "three-databases"} {
			b.Run(mode, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					opts := Options{MySQL: one.Server.Config(""), Database: one.Name, ToolVersion: "bench"}
					if mode == "three-databases" {
						opts.Database, opts.Databases = "", names
					}
					cw := &countWriter{}
					w, err := catalog.NewWriter(cw, "gzip")
					if err != nil {
						b.Fatal(err)
					}
					start := time.Now()
					res, err := Run(context.Background(), opts, w, nil)
					if err != nil {
						b.Fatal(err)
					}
					w.Close()
					el := time.Since(start)
					if res.Rows != 600_000 {
						b.Fatalf("%s: %d rows", mode, res.Rows)
					}
					b.ReportMetric(float64(res.Bytes)/1e6/el.Seconds(), "SQL-MB/s")
					b.ReportMetric(el.Seconds(), "s")
					b.ReportMetric(float64(cw.n)/1e6, "out-MB")
				}
			})
		}
	}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
