// Command lifeboat-bench measures lifeboat against mariadb-dump | gzip and
// mydumper/myloader on a deterministic dataset in a throwaway MariaDB:
// interleaved runs, medians of wall time, CPU, peak memory and size, and a
// CHECKSUM TABLE comparison after every restore (a mismatch exits 1).
//
//	go run ./cmd/lifeboat-bench [-scale 1] [-runs 3] [-lifeboat PATH]
package main

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine"
)

type flags struct {
	scale    float64
	runs     int
	seed     uint64
	lifeboat string
	keep     bool
}

func main() {
	if code, ok := runChild(os.Stdout, os.Stderr); ok {
		os.Exit(code)
	}
	var f flags
	flag.Float64Var(&f.scale, "scale", 1, "dataset size: 1 is about 200 MB of SQL; 0.02 for a quick run")
	flag.IntVar(&f.runs, "runs", 3, "runs per tool (medians are reported)")
	flag.Uint64Var(&f.seed, "seed", 1, "dataset seed")
	flag.StringVar(&f.lifeboat, "lifeboat", "", "lifeboat binary (default: go build ./cmd/lifeboat into a temp dir)")
	flag.BoolVar(&f.keep, "keep", false, "keep the work directory (dumps, config) and print its path")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, f, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, f flags, stdout, stderr io.Writer) int {
	if f.scale <= 0 || f.runs < 1 {
		fmt.Fprintln(stderr, "lifeboat-bench: -scale must be above 0 and -runs at least 1")
		return 2
	}
	ensureMydumper(stderr)
	b, cleanup, err := setup(ctx, f, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "lifeboat-bench:", err)
		return 1
	}
	defer cleanup()
	dumps, restores, mismatches := b.measure(ctx, f.runs, stderr)
	report(stdout, b, f, dumps, restores, mismatches)
	if b.lifeboatErr == nil && ctx.Err() == nil {
		pm, err := benchProjects(ctx, b.lifeboat, f.runs, stdout, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "lifeboat-bench: projects:", err)
		}
		mismatches += pm
		rm, err := benchRemote(ctx, b, f.runs, stdout, stderr) // off-site rows (remote.go)
		if err != nil {
			fmt.Fprintln(stderr, "lifeboat-bench:", err)
		}
		mismatches += rm
	}
	if ctx.Err() != nil {
		return 130
	}
	if mismatches > 0 {
		fmt.Fprintf(stderr, "\nlifeboat-bench: %d restore(s) did NOT match the source (see MISMATCH above)\n", mismatches)
		return 1
	}
	return 0
}

// setup starts the server, loads the dataset, records its checksums and
// prepares lifeboat. cleanup stops and removes everything.
func setup(ctx context.Context, f flags, log io.Writer) (*bench, func(), error) {
	work, err := os.MkdirTemp("", "lifeboat-bench-")
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(log, "starting a throwaway MariaDB in %s …\n", work)
	srv, err := engine.StartSandbox(ctx, engine.SandboxOptions{LogBin: true, BufferPool: "1G"})
	if err != nil {
		os.RemoveAll(work)
		return nil, nil, err
	}
	b := &bench{srv: srv, src: "benchdb", work: work}
	cleanup := func() {
		if b.db != nil {
			b.db.Close()
		}
		srv.Stop()
		if f.keep {
			fmt.Fprintln(log, "work directory kept:", work)
		} else {
			os.RemoveAll(work)
		}
	}
	if err := b.load(ctx, f, log); err != nil {
		cleanup()
		return nil, nil, err
	}
	b.prepareLifeboat(ctx, f.lifeboat)
	if b.lifeboatErr != nil {
		fmt.Fprintln(log, "lifeboat: n/a:", b.lifeboatErr)
	}
	return b, cleanup, nil
}

func (b *bench) load(ctx context.Context, f flags, log io.Writer) error {
	var err error
	if b.db, err = b.srv.Open(""); err != nil {
		return err
	}
	if _, err := b.db.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(b.src)+" CHARACTER SET utf8mb4"); err != nil {
		return err
	}
	src, err := b.srv.Open(b.src)
	if err != nil {
		return err
	}
	defer src.Close()
	fmt.Fprintf(log, "loading the dataset (scale %g, seed %d) …\n", f.scale, f.seed)
	st, err := loadDataset(ctx, src, datasetOptions{Scale: f.scale, Seed: f.seed})
	if err != nil {
		return err
	}
	var total int64
	for _, n := range st.Rows {
		total += n
	}
	fmt.Fprintf(log, "loaded %s rows in %d tables in %v\n", humanize.Comma(total), len(st.Rows), st.Duration.Round(time.Millisecond))
	b.sums, err = tableChecksums(ctx, b.db, b.src)
	return err
}

// measure runs every dump, then every restore, each round going through
// all tools in turn (interleaved), and checks every restored copy.
func (b *bench) measure(ctx context.Context, runs int, log io.Writer) (dumps, restores []*series, mismatches int) {
	ts := tools()
	artifacts := make([]string, len(ts))
	for _, t := range ts {
		dumps = append(dumps, &series{name: t.name})
		restores = append(restores, &series{name: restoreName(t.name)})
	}
	for run := 1; run <= runs && ctx.Err() == nil; run++ {
		for i, t := range ts {
			s, art := t.dump(b, ctx)
			logSample(log, "backup", run, runs, t.name, s)
			dumps[i].add(s)
			if s.Err == nil {
				if t.name == "lifeboat" && artifacts[i] != art {
					b.removeLifeboatBackup(artifacts[i])
				}
				artifacts[i] = art
			}
		}
	}
	for run := 1; run <= runs && ctx.Err() == nil; run++ {
		for i, t := range ts {
			if t.restore == nil {
				continue
			}
			s := b.restoreOnce(ctx, t, artifacts[i], &mismatches, log)
			logSample(log, "restore", run, runs, restores[i].name, s)
			restores[i].add(s)
		}
	}
	return dumps, restores, mismatches
}

// restoreOnce restores one artifact into a fresh database and compares
// every table's checksum with the source.
func (b *bench) restoreOnce(ctx context.Context, t tool, artifact string, mismatches *int, log io.Writer) sample {
	if artifact == "" {
		return sample{Err: fmt.Errorf("no backup to restore (its backup failed)")}
	}
	target, err := b.newTarget(ctx, t.name)
	if err != nil {
		return sample{Err: err}
	}
	defer b.dropTarget(target)
	s := t.restore(b, ctx, artifact, target)
	if s.Err != nil {
		return s
	}
	got, err := tableChecksums(ctx, b.db, target)
	if err != nil {
		s.Err = err
		return s
	}
	if diffs := compareChecksums(b.sums, got); diffs != nil {
		*mismatches++
		for _, d := range diffs {
			fmt.Fprintf(log, "MISMATCH: %s restore into %s: %s\n", t.name, target, d)
		}
	}
	return s
}

func restoreName(dumpName string) string {
	switch dumpName {
	case "mariadb-dump | gzip":
		return "gzip -dc | mariadb"
	case "mydumper -t 2 -c":
		return "myloader -t 2"
	case "lifeboat":
		return "lifeboat restore"
	}
	return dumpName
}

func logSample(log io.Writer, op string, run, runs int, name string, s sample) {
	if s.Err != nil {
		fmt.Fprintf(log, "%s %d/%d %-28s n/a: %s\n", op, run, runs, name, oneLine(s.Err))
		return
	}
	fmt.Fprintf(log, "%s %d/%d %-28s %8s wall %8s cpu %9s\n", op, run, runs, name,
		s.Wall.Round(10*time.Millisecond), s.CPU.Round(10*time.Millisecond), humanize.IBytes(uint64(s.Size)))
}

func report(w io.Writer, b *bench, f flags, dumps, restores []*series, mismatches int) {
	fmt.Fprintf(w, "\n## lifeboat-bench: scale %g, %d run(s), medians\n\n", f.scale, f.runs)
	fmt.Fprintf(w, "%s, %d CPUs, %s. Dataset: %d tables, %s of SQL (the stock dump, uncompressed).\n",
		b.srv.Version, runtime.NumCPU(), runtime.GOOS+"/"+runtime.GOARCH, len(b.sums), gzipSQLSize(filepath.Join(b.work, "stock.sql.gz")))
	fmt.Fprintln(w, "CPU is the tool's own processes (user+sys); server CPU is mariadbd's meanwhile; peak RSS is VmHWM, summed over a pipeline.")
	stockDump, mydumper, ceiling, lbDump, lbZstd := dumps[0], dumps[1], dumps[2], dumps[3], dumps[4]
	printTable(w, "Backup", dumps, stockDump, mydumper)
	stockLoad, myloader, lbLoad := restores[0], restores[1], restores[3]
	printTable(w, "Restore", []*series{stockLoad, myloader, lbLoad}, stockLoad, myloader)
	verified := 0
	for _, r := range restores {
		verified += len(r.samples)
	}
	fmt.Fprintf(w, "\nRestores checked against the source with CHECKSUM TABLE (%d tables): %d, mismatches: %d\n", len(b.sums), verified, mismatches)
	peak := target{what: "lifeboat peak RSS < 150 MB", limit: 150, unit: " MiB"}
	if lbDump.ok() || lbLoad.ok() {
		peak.value, peak.known = max(lbDump.median(rss), lbLoad.median(rss))/(1<<20), true
	}
	printTargets(w, []target{
		ratioTarget("lifeboat backup ≤ 0.5× mariadb-dump | gzip (wall)", lbDump, stockDump, wall, 0.5),
		ratioTarget("lifeboat backup ≤ 1.0× mydumper (wall)", lbDump, mydumper, wall, 1.0),
		ratioTarget("lifeboat zstd backup ≤ 1.5× the read ceiling (wall)", lbZstd, ceiling, wall, 1.5),
		ratioTarget("lifeboat restore ≤ 0.45× stock client (wall)", lbLoad, stockLoad, wall, 0.45),
		ratioTarget("lifeboat restore ≤ 1.0× myloader (wall)", lbLoad, myloader, wall, 1.0),
		peak,
		ratioTarget("lifeboat size within 10% of gzip -6 of the stock dump", lbDump, stockDump, size, 1.10),
	})
}

// gzipSQLSize reads the uncompressed size from a gzip file's trailer
// (exact below 4 GiB).
func gzipSQLSize(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "n/a"
	}
	defer f.Close()
	var t [4]byte
	st, err := f.Stat()
	if err != nil || st.Size() < 4 {
		return "n/a"
	}
	if _, err := f.ReadAt(t[:], st.Size()-4); err != nil {
		return "n/a"
	}
	return humanize.IBytes(uint64(binary.LittleEndian.Uint32(t[:])))
}
