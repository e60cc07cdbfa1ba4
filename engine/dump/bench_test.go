package dump

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// BenchmarkMixed1M dumps ~1M rows of mixed columns (the bench dataset's
// big table) and reports MB/s of SQL, rows/s and the peak RSS of the dump
// alone. Run: go test ./engine/dump -run X -bench Mixed1M -benchtime 1x
func BenchmarkMixed1M(b *testing.B) {
	d := testdb.New(b)
	d.MustExec(b, `CREATE TABLE big (id BIGINT PRIMARY KEY, n INT, e ENUM('new','paid','shipped','void'),
		amount DECIMAL(12,2), title VARCHAR(120) CHARACTER SET utf8mb4, doc JSON, at DATETIME(6),
		KEY (n), KEY (at))`,
		`INSERT INTO big SELECT seq, seq * 7919 % 100000, ELT(1 + seq % 4, 'new','paid','shipped','void'),
		(seq * 37 % 1000000) / 100, CONCAT('it''s "item" \\ no ', seq, ' ünï 😀'),
		JSON_OBJECT('k', seq, 's', CONCAT('v', seq % 97), 'a', JSON_ARRAY(1, 2, seq % 5)),
		TIMESTAMP('2024-01-01') + INTERVAL seq SECOND + INTERVAL seq % 1000000 MICROSECOND
		FROM seq_1_to_1000000`)
	// Interleaved rounds: the machine is shared, so medians mean more.
	for round := 0; round < benchRounds(); round++ {
		for _, mode := range []string{"raw-read", "none", "gzip", "gzip-1", "zstd", "zstd-fastest", "mariadb-dump|gzip", "mydumper-t2-c"} {
			b.Run(mode, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					benchOne(b, d, mode)
				}
			})
		}
	}
}

// BenchmarkCompressible1M dumps 1M short, repetitive rows (the bench's
// compressible shape, issue 19), where the per-row cost shows. Profile:
// go test ./engine/dump -run X -bench Compressible1M/gzip -benchtime 1x -cpuprofile cpu.out
func BenchmarkCompressible1M(b *testing.B) {
	d := testdb.New(b)
	d.MustExec(b, `CREATE TABLE big (id INT UNSIGNED PRIMARY KEY, customer_id INT NOT NULL,
		status ENUM('new','paid','shipped','delivered','cancelled') NOT NULL, qty SMALLINT NOT NULL,
		price_cents INT NOT NULL, country CHAR(2) NOT NULL, sku VARCHAR(16) NOT NULL, coupon VARCHAR(12) NULL,
		created_at TIMESTAMP NOT NULL, KEY (customer_id))`,
		`INSERT INTO big SELECT seq, 1 + seq * 7919 % 20000, ELT(1 + seq % 5, 'new','paid','shipped','delivered','cancelled'),
		1 + seq % 5, 99 + (seq * 31 % 200) * 100, ELT(1 + seq % 4, 'US','DE','FR','NO'), CONCAT('SKU-', 1000 + seq * 13 % 400),
		IF(seq % 8 = 0, 'WELCOME10', NULL), TIMESTAMP('2025-01-01') + INTERVAL seq * 20 SECOND
		FROM seq_1_to_1000000`)
	for round := 0; round < benchRounds(); round++ {
		for _, mode := range []string{"raw-read", "none", "gzip", "zstd", "mariadb-dump|gzip"} {
			b.Run(mode, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					benchOne(b, d, mode)
				}
			})
		}
	}
}

// BenchmarkWide5k dumps 5,000 rows with 13 KB TEXT bodies (the bench's
// wide shape): the cost per byte (escaping, compression) rather than per row.
func BenchmarkWide5k(b *testing.B) {
	d := testdb.New(b)
	d.MustExec(b, `CREATE TABLE big (id INT UNSIGNED PRIMARY KEY, title VARCHAR(255) NOT NULL, body LONGTEXT NOT NULL)`,
		`INSERT INTO big SELECT seq, CONCAT('Article ', seq), CONCAT(seq, REPEAT('the backup of the "primary" database finished, it''s back\\slash\n', 200 + seq % 50))
		FROM seq_1_to_5000`)
	for round := 0; round < benchRounds(); round++ {
		for _, mode := range []string{"raw-read", "none", "gzip", "zstd"} {
			b.Run(mode, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					benchOne(b, d, mode)
				}
			})
		}
	}
}

func benchOne(b *testing.B, d *testdb.DB, mode string) {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset peak RSS
	cpu0 := cpuTime()
	start := time.Now()
	var bytes, rows int64
	switch mode {
	case "raw-read":
		rows = rawRead(b, d.Server.Config(d.Name))
	case "mydumper-t2-c":
		dir := b.TempDir()
		out, err := exec.Command("mydumper", "-t", "2", "-c", "-S", d.Server.Socket, "-u", "root", "-B", d.Name, "-o", dir).CombinedOutput()
		if err != nil {
			b.Fatalf("mydumper: %v %s", err, out)
		}
		du, _ := exec.Command("du", "-sb", dir).Output()
		fmt.Sscan(string(du), &bytes)
	case "mariadb-dump|gzip":
		bin, _ := sandbox.FindBinary("mariadb-dump")
		cmd := exec.Command("sh", "-c", `"$0" --no-defaults --socket="$1" -uroot --single-transaction "$2" | gzip -6 | wc -c`, bin, d.Server.Socket, d.Name)
		out, err := cmd.Output()
		if err != nil {
			b.Fatal(err)
		}
		fmt.Sscan(strings.TrimSpace(string(out)), &bytes)
	default:
		cw := &countWriter{}
		var w io.WriteCloser
		var err error
		switch mode {
		case "gzip-1":
			w, err = pgzip.NewWriterLevel(cw, 1)
		case "zstd-fastest":
			w, err = zstd.NewWriter(cw, zstd.WithEncoderLevel(zstd.SpeedFastest))
		default:
			w, err = catalog.NewWriter(cw, mode)
		}
		if err != nil {
			b.Fatal(err)
		}
		res, err := Run(context.Background(), Options{MySQL: d.Server.Config(d.Name), Database: d.Name, ToolVersion: "bench"}, w, nil)
		if err != nil {
			b.Fatal(err)
		}
		w.Close()
		rows, bytes = res.Rows, cw.n
		b.ReportMetric(float64(res.Bytes)/1e6/time.Since(start).Seconds(), "SQL-MB/s")
	}
	el := time.Since(start)
	b.ReportMetric(el.Seconds(), "s")
	b.ReportMetric((cpuTime() - cpu0).Seconds(), "our-cpu-s")
	b.ReportMetric(float64(bytes)/1e6, "out-MB")
	if rows > 0 {
		b.ReportMetric(float64(rows)/el.Seconds(), "rows/s")
	}
	b.ReportMetric(float64(peakRSS())/1e6, "peakRSS-MB")
}

func rawRead(b *testing.B, cfg any) int64 {
	c := cfg.(interface{ FormatDSN() string })
	db, err := sql.Open("mysql", c.FormatDSN())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT * FROM big")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	raw := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var n int64
	for rows.Next() {
		rows.Scan(ptrs...)
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// cpuTime is this process's user+system CPU time (children excluded).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchRounds() int {
	var n int
	fmt.Sscan(os.Getenv("LIFEBOAT_BENCH_ROUNDS"), &n)
	return max(n, 1)
}

func peakRSS() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(l, "VmHWM:"), "kB")), &kb)
			return kb * 1024
		}
	}
	return 0
}
