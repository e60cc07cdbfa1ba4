package dump

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// The wide shape's cost per byte (issue 19). BenchmarkWide5k repeats one
// line, which zstd shrinks 800-fold, so it hides the compressor; these
// use prose like the bench's wide shape (cmd/lifeboat-bench: the same
// words, a newline every 14 words or so, bodies of 4–30 KB), which
// compresses about 4-fold as there.

// proseWords are cmd/lifeboat-bench's bodyWords.
var proseWords = strings.Fields("the backup of the primary database finished and the replica caught up with the binary log while the operators checked every table row and checksum before they signed off the change window lorem ipsum dolor sit amet Ærlig blåbær 注文 配送 🚀 \"quoted\" it's back\\slash")

// proseBodies returns n bodies of 4–30 KB, deterministically.
func proseBodies(n int) [][]byte {
	r := rand.New(rand.NewPCG(19, 19))
	out := make([][]byte, n)
	for i := range out {
		u := r.Float64()
		size := 4_000 + int(26_000*u*u)
		b := make([]byte, 0, size+16)
		for len(b) < size {
			b = append(b, proseWords[r.IntN(len(proseWords))]...)
			b = append(b, " \n"[min(1, r.IntN(14)/13)])
		}
		out[i] = b
	}
	return out
}

// proseSQL is the INSERTs of bodies in statements of about 1 MB, as a
// dump writes them.
func proseSQL(bodies [][]byte) []byte {
	var b []byte
	stmt := 0
	for i, body := range bodies {
		if stmt == 0 {
			b = append(b, "INSERT INTO `articles` (`id`,`body`) VALUES "...)
		} else {
			b = append(b, ',')
		}
		start := len(b)
		b = fmt.Appendf(b, "(%d,", i+1)
		b = appendEscaped(b, body)
		b = append(b, ')')
		stmt += len(b) - start
		if stmt > stmtSize {
			b = append(b, ";\n"...)
			stmt = 0
		}
	}
	return append(b, ";\n"...)
}

func totalLen(bodies [][]byte) (n int64) {
	for _, b := range bodies {
		n += int64(len(b))
	}
	return n
}

// BenchmarkEscapeProse is appendEscaped alone on 1,000 prose bodies.
// Compare before and after with benchstat: -bench EscapeProse -count 8.
func BenchmarkEscapeProse(b *testing.B) {
	bodies := proseBodies(1_000)
	b.SetBytes(totalLen(bodies))
	buf := make([]byte, 0, 64<<10)
	cpu0 := cpuTime()
	for b.Loop() {
		for _, v := range bodies {
			buf = appendEscaped(buf[:0], v)
		}
	}
	reportCPU(b, cpu0)
}

// reportCPU reports this process's CPU per op: on a shared machine the
// wall time of a single-threaded loop mostly measures the other processes.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkEscapeShort is appendEscaped on the short values of the
// compressible shape, where the per-value cost shows.
func BenchmarkEscapeShort(b *testing.B) {
	vals := [][]byte{[]byte("US"), []byte("SKU-1234"), []byte("WELCOME10"), []byte("delivered"), []byte("it's"), []byte("2025-01-01 10:00:00")}
	var n int64
	for _, v := range vals {
		n += int64(len(v))
	}
	b.SetBytes(n)
	buf := make([]byte, 0, 256)
	cpu0 := cpuTime()
	for b.Loop() {
		buf = buf[:0]
		for _, v := range vals {
			buf = appendEscaped(buf, v)
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkCompressProse compresses about 24 MB of prose INSERTs with the
// encoders a backup could use, in 1 MB writes like the dump's, and reports
// the compressed size. "zstd" and "gzip" are what catalog.NewWriter uses.
func BenchmarkCompressProse(b *testing.B) {
	sql := proseSQL(proseBodies(1_800))
	procs := runtime.GOMAXPROCS(0)
	zs := func(opts ...zstd.EOption) func(io.Writer) (io.WriteCloser, error) {
		return func(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w, opts...) }
	}
	encoders := []struct {
		name string
		new  func(io.Writer) (io.WriteCloser, error)
	}{
		{"zstd", func(w io.Writer) (io.WriteCloser, error) { return catalog.NewWriter(w, "zstd") }},
		{"zstd-fastest-c1", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))},
		{"zstd-fastest-nocrc", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(procs), zstd.WithEncoderCRC(false))},
		{"zstd-fastest-win1M", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(procs), zstd.WithWindowSize(1<<20))},
		{"zstd-fastest-noentropy", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(procs), zstd.WithNoEntropyCompression(true))},
		{"zstd-jobs", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(procs), zstd.WithConcurrentBlocks(true))},
		{"zstd-jobs-win1M", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(procs), zstd.WithConcurrentBlocks(true), zstd.WithWindowSize(1<<20))},
		{"zstd-jobs-win2M", zs(zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(procs), zstd.WithConcurrentBlocks(true), zstd.WithWindowSize(2<<20))},
		{"zstd-default", zs(zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(procs))},
		{"gzip", func(w io.Writer) (io.WriteCloser, error) { return catalog.NewWriter(w, "gzip") }},
	}
	for _, enc := range encoders {
		b.Run(enc.name, func(b *testing.B) {
			b.SetBytes(int64(len(sql)))
			var out int64
			cpu0 := cpuTime()
			for b.Loop() {
				cw := &countWriter{}
				w, err := enc.new(cw)
				if err != nil {
					b.Fatal(err)
				}
				for p := sql; len(p) > 0; {
					n := min(len(p), stmtSize)
					if _, err := w.Write(p[:n]); err != nil {
						b.Fatal(err)
					}
					p = p[n:]
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				out = cw.n
			}
			reportCPU(b, cpu0)
			b.ReportMetric(float64(out)/1e6, "out-MB")
			b.ReportMetric(float64(len(sql))/float64(out), "ratio")
		})
	}
}

// BenchmarkWideProse5k dumps the bench's wide shape (5,000 prose bodies
// of 4–30 KB, about 65 MB) from a real server, as BenchmarkWide5k does.
// Profile: go test ./engine/dump -run X -bench WideProse5k/zstd -benchtime 1x -cpuprofile cpu.out
func BenchmarkWideProse5k(b *testing.B) {
	d := testdb.New(b)
	d.MustExec(b, `CREATE TABLE big (id INT UNSIGNED PRIMARY KEY, title VARCHAR(255) NOT NULL, body LONGTEXT NOT NULL)`)
	bodies := proseBodies(5_000)
	for i := 0; i < len(bodies); i += 100 {
		var q bytes.Buffer
		q.WriteString("INSERT INTO big VALUES ")
		args := []any{}
		for j := i; j < min(i+100, len(bodies)); j++ {
			if j > i {
				q.WriteByte(',')
			}
			q.WriteString("(?,?,?)")
			args = append(args, j+1, fmt.Sprintf("Article %d", j+1), bodies[j])
		}
		if _, err := d.Exec(q.String(), args...); err != nil {
			b.Fatal(err)
		}
	}
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
