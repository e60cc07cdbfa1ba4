// Command lifeboat-bench measures lifeboat against mariadb-dump | gzip and
// mydumper/myloader on deterministic data of several shapes (compressible
// short rows, wide text, a mixed dataset) in a throwaway MariaDB:
// interleaved runs, medians of wall time, CPU, peak memory and size, and a
// CHECKSUM TABLE comparison after every restore (a mismatch exits 1).
// Each run stores lifeboat's time per GB and peak RSS per shape, so that a
// run at another scale reports how they grow (issue 19).
//
//	go run ./cmd/lifeboat-bench [-scale 1] [-runs 3] [-shapes compressible,wide,mixed] [-lifeboat PATH]
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
	shapes   string // comma-separated shape names
	results  string // directory of the per-scale figures
	extras   bool   // the encryption, off-site and project rows
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
	flag.StringVar(&f.shapes, "shapes", "compressible,wide,mixed", "shapes of data to measure, in order")
	flag.StringVar(&f.results, "results", defaultResultsDir(), "directory where each scale's figures are kept for the scale table")
	flag.BoolVar(&f.extras, "extras", true, "also measure encryption, off-site copies (versitygw) and project backups, on the last shape")
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
	list, err := parseShapes(f.shapes)
	if err != nil {
		fmt.Fprintln(stderr, "lifeboat-bench:", err)
		return 2
	}
	ensureMydumper(stderr)
	b, cleanup, err := setup(ctx, f, list, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "lifeboat-bench:", err)
		return 1
	}
	defer cleanup()
	fmt.Fprintf(stdout, "\n## lifeboat-bench: scale %g, %d run(s), medians\n\n", f.scale, f.runs)
	fmt.Fprintf(stdout, "%s, %d CPUs, %s.\n", b.srv.Version, runtime.NumCPU(), runtime.GOOS+"/"+runtime.GOARCH)
	fmt.Fprintln(stdout, "CPU is the tool's own processes (user+sys); server CPU is mariadbd's meanwhile; peak RSS is VmHWM, summed over a pipeline.")
	mismatches := 0
	figures := scaleFigures{Scale: f.scale, Shapes: map[string]shapeFigures{}}
	for _, sh := range list {
		if ctx.Err() != nil {
			break
		}
		if err := b.useShape(sh); err != nil {
			fmt.Fprintln(stderr, "lifeboat-bench:", err)
			return 1
		}
		fmt.Fprintf(stderr, "shape %s …\n", sh.name)
		dumps, restores, mm := b.measure(ctx, f.runs, stderr)
		mismatches += mm
		figures.Shapes[sh.name] = report(stdout, b, sh, dumps, restores, mm)
	}
	if ctx.Err() == nil {
		reportScale(stdout, stderr, f, figures)
		benchServer(ctx, b, f.runs, stdout, stderr) // the whole-server row (server.go)
	}
	if f.extras && b.lifeboatErr == nil && ctx.Err() == nil {
		mismatches += b.benchExtras(ctx, f.runs, stdout, stderr)
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

// benchExtras measures encryption, off-site copies and project backups on
// the current (last) shape; it returns the restores that did not match.
func (b *bench) benchExtras(ctx context.Context, runs int, stdout, stderr io.Writer) int {
	mismatches := 0
	am, err := benchAge(ctx, b, runs, stdout, stderr) // encryption rows (age.go)
	if err != nil {
		fmt.Fprintln(stderr, "lifeboat-bench: encryption:", err)
	}
	mismatches += am
	pm, err := benchProjects(ctx, b.lifeboat, runs, stdout, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "lifeboat-bench: projects:", err)
	}
	mismatches += pm
	rm, err := benchRemote(ctx, b, runs, stdout, stderr) // off-site rows (remote.go)
	if err != nil {
		fmt.Fprintln(stderr, "lifeboat-bench:", err)
	}
	rm += benchPITR(ctx, b, runs, stdout, stderr) // point-in-time rows (pitr.go), last: they add a table
	return mismatches + rm
}

// setup starts the server, loads the dataset, records its checksums and
// prepares lifeboat. cleanup stops and removes everything.
func setup(ctx context.Context, f flags, list []shape, log io.Writer) (*bench, func(), error) {
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
	b := &bench{srv: srv, work: work, shapeSums: map[string]map[string]int64{}}
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
	for _, sh := range list {
		if err := b.load(ctx, f, sh, log); err != nil {
			cleanup()
			return nil, nil, err
		}
	}
	if err := b.allowLocalInfile(ctx); err != nil { // the load ceiling (loadceiling.go)
		cleanup()
		return nil, nil, err
	}
	b.prepareLifeboat(ctx, f.lifeboat)
	if b.lifeboatErr != nil {
		fmt.Fprintln(log, "lifeboat: n/a:", b.lifeboatErr)
	}
	return b, cleanup, nil
}

// load creates the shape's database, fills it and records its checksums.
func (b *bench) load(ctx context.Context, f flags, sh shape, log io.Writer) error {
	var err error
	if b.db == nil {
		if b.db, err = b.srv.Open(""); err != nil {
			return err
		}
	}
	name := shapeDatabase(sh)
	if _, err := b.db.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)+" CHARACTER SET utf8mb4"); err != nil {
		return err
	}
	src, err := b.srv.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	fmt.Fprintf(log, "loading shape %s (scale %g, seed %d) …\n", sh.name, f.scale, f.seed)
	st, err := loadShape(ctx, src, sh, datasetOptions{Scale: f.scale, Seed: f.seed})
	if err != nil {
		return err
	}
	var total int64
	for _, n := range st.Rows {
		total += n
	}
	fmt.Fprintf(log, "loaded %s rows in %d tables in %v\n", humanize.Comma(total), len(st.Rows), st.Duration.Round(time.Millisecond))
	b.shapeSums[sh.name], err = tableChecksums(ctx, b.db, name)
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
	ceiling, loadDir, prepErr := b.prepareLoadCeiling(ctx, log) // untimed (loadceiling.go)
	defer os.RemoveAll(loadDir)
	restores = append(restores, &series{name: ceiling.name})
	loaders, inputs := append(ts, ceiling), append(artifacts, loadDir)
	for run := 1; run <= runs && ctx.Err() == nil; run++ {
		for i, t := range loaders {
			if t.restore == nil {
				continue
			}
			s := sample{Err: prepErr}
			if i < len(ts) || prepErr == nil {
				s = b.restoreOnce(ctx, t, inputs[i], &mismatches, log)
			}
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
	b.settle(ctx) // the last run's drop is written out first (settle.go)
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
		return "lifeboat restore (swap, kept tables)"
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

// report writes one shape's tables and targets and returns lifeboat's
// figures for the scale table.
func report(w io.Writer, b *bench, sh shape, dumps, restores []*series, mismatches int) shapeFigures {
	sqlBytes := gzipSQLSize(filepath.Join(b.work, "stock.sql.gz"))
	fmt.Fprintf(w, "\n### Shape %s: %s\n\n", sh.name, sh.about)
	fmt.Fprintf(w, "%d tables, %s of SQL (the stock dump, uncompressed).\n", len(b.sums), humanize.IBytes(uint64(sqlBytes)))
	stockDump, mydumper, ceiling, lbDump, lbZstd := dumps[0], dumps[1], dumps[2], dumps[3], dumps[4]
	printTable(w, "Backup ("+sh.name+")", dumps, stockDump, mydumper, ceiling)
	stockLoad, myloader, lbLoad, loadCeil := restores[0], restores[1], restores[3], restores[len(restores)-1]
	printTable(w, "Restore ("+sh.name+")", []*series{stockLoad, myloader, loadCeil, lbLoad}, stockLoad, myloader, loadCeil)
	reportSwap(w, lbLoad)
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
		ratioTarget("lifeboat backup ≤ 0.40× mariadb-dump | gzip (wall)", lbDump, stockDump, wall, 0.40),
		ratioTarget("lifeboat backup ≤ 0.70× mydumper -t 2 -c (wall)", lbDump, mydumper, wall, 0.70),
		ratioTarget("lifeboat zstd backup ≤ 1.5× the read ceiling (wall)", lbZstd, ceiling, wall, 1.5),
		ratioTarget("lifeboat swap restore, with its safety copy, ≤ 0.30× stock client (wall)", lbLoad, stockLoad, wall, 0.30),
		ratioTarget("lifeboat swap restore ≤ 0.6× myloader (wall)", lbLoad, myloader, wall, 0.6),
		ratioTarget("lifeboat swap restore ≤ 1.3× the load ceiling (wall)", lbLoad, loadCeil, wall, 1.3),
		windowTarget(lbLoad),
		peak,
		ratioTarget("lifeboat size within 10% of gzip -6 of the stock dump", lbDump, stockDump, size, 1.10),
	})
	return shapeFigures{SQLBytes: sqlBytes, BackupWall: lbDump.median(wall), BackupRSS: lbDump.median(rss),
		RestoreWall: lbLoad.median(wall), RestoreRSS: lbLoad.median(rss)}
}

// gzipSQLSize reads the uncompressed size from a gzip file's trailer
// (exact below 4 GiB; 0 when unreadable).
func gzipSQLSize(path string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var t [4]byte
	st, err := f.Stat()
	if err != nil || st.Size() < 4 {
		return 0
	}
	if _, err := f.ReadAt(t[:], st.Size()-4); err != nil {
		return 0
	}
	return int64(binary.LittleEndian.Uint32(t[:]))
}
