package main

// Point-in-time rows (issue 15): on the bench dataset plus 100,000
// archived single-row transactions, lifeboat's restore --until (the base
// backup, then the archive replayed) against the same base restored by
// lifeboat and the same archive files fed to `mariadb-binlog FILES |
// mariadb`, interleaved; and `lifeboat binlog events` over the archive.
// Every restored copy is checked with CHECKSUM TABLE against the source
// at the stop point.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"time"

	"github.com/dustin/go-humanize"
)

// pitrSeries are the point-in-time rows' measurements.
type pitrSeries struct {
	lifeboat, stockTotal *series // base + replay
	replay, stock        *series // replay only: lifeboat's replay_ms, the stock pipeline
	events               *series
	listed               int // transactions binlog events listed
}

// benchPITR measures the point-in-time rows; it returns the restores that
// did not match the source.
func benchPITR(ctx context.Context, b *bench, runs int, stdout, log io.Writer) (mismatches int) {
	n := *pitrTransactions
	if n <= 0 {
		return 0
	}
	fmt.Fprintf(log, "point-in-time rows: base backup, then %s single-row transactions …\n", humanize.Comma(int64(n)))
	t0 := time.Now()
	p, err := b.preparePITR(ctx, n)
	if err != nil {
		fmt.Fprintln(log, "lifeboat-bench:", err)
		fmt.Fprintf(stdout, "\n### Point-in-time restore\n\nn/a: %s\n", oneLine(err))
		return 0
	}
	fmt.Fprintf(log, "point-in-time rows: %d transactions archived in %d files (%s) in %v\n", p.txs, len(p.files), humanize.IBytes(uint64(p.bytes)), time.Since(t0).Round(time.Millisecond))
	ps := b.measurePITR(ctx, p, runs, &mismatches, log)
	reportPITR(stdout, p, ps, mismatches)
	return mismatches
}

// pointReply is the part of restore --until --json the bench reads.
type pointReply struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
	Restore struct {
		Transactions int   `json:"transactions_replayed"`
		ReplayMS     int64 `json:"replay_ms"`
	} `json:"restore"`
}

func (b *bench) measurePITR(ctx context.Context, p *pitrSetup, runs int, mismatches *int, log io.Writer) pitrSeries {
	ps := pitrSeries{lifeboat: &series{name: "lifeboat restore --until"},
		stockTotal: &series{name: "lifeboat restore, then mariadb-binlog | mariadb"},
		replay:     &series{name: "lifeboat (its replay_ms)"},
		stock:      &series{name: "mariadb-binlog FILES | mariadb"},
		events:     &series{name: "lifeboat binlog events"}}
	until := p.until.Format(time.RFC3339)
	for run := 1; run <= runs && ctx.Err() == nil; run++ {
		var lb sample
		s := b.pitrRestore(ctx, p, "lifeboat pitr", mismatches, log, func(target string) sample {
			var reply pointReply
			lb, _ = b.runJSON(ctx, p.config, &reply, "restore", p.base, "--until", until, "--into", target, "--yes", "--no-safety-backup", "--json")
			switch {
			case lb.Err == nil && reply.Error != "":
				lb.Err = errors.New(reply.Error)
			case lb.Err == nil && (!reply.Success || reply.Restore.Transactions != p.txs):
				lb.Err = fmt.Errorf("restore --until replayed %d transactions, the plan said %d", reply.Restore.Transactions, p.txs)
			}
			lb.Size = p.bytes
			if lb.Err == nil {
				ps.replay.add(sample{Wall: time.Duration(reply.Restore.ReplayMS) * time.Millisecond, Size: p.bytes})
			}
			return lb
		})
		logSample(log, "pitr", run, runs, ps.lifeboat.name, s)
		ps.lifeboat.add(s)
		var replay sample
		s = b.pitrRestore(ctx, p, "stock pitr", mismatches, log, func(target string) sample {
			base, _ := b.withConfigReply(p.config, func() (sample, lifeboatReply) {
				return b.runLifeboat(ctx, "restore", p.base, "--into", target, "--yes", "--no-safety-backup", "--json")
			})
			if base.Err != nil {
				return base
			}
			replay = b.stockReplay(ctx, p, target)
			return sample{Wall: base.Wall + replay.Wall, CPU: base.CPU + replay.CPU, ServerCPU: base.ServerCPU + replay.ServerCPU,
				RSS: max(base.RSS, replay.RSS), Size: p.bytes, Err: replay.Err}
		})
		logSample(log, "pitr", run, runs, ps.stockTotal.name, s)
		ps.stockTotal.add(s)
		if s.Err == nil {
			ps.stock.add(replay)
		}
		ev, listed := b.pitrEvents(ctx, p)
		logSample(log, "pitr", run, runs, ps.events.name, ev)
		ps.events.add(ev)
		ps.listed = max(ps.listed, listed)
	}
	return ps
}

// pitrRestore runs one restore into a fresh database and compares it
// with the source at the stop point.
func (b *bench) pitrRestore(ctx context.Context, p *pitrSetup, what string, mismatches *int, log io.Writer, restore func(target string) sample) sample {
	target, err := b.newTarget(ctx, what)
	if err != nil {
		return sample{Err: err}
	}
	defer b.dropTarget(target)
	s := restore(target)
	if s.Err != nil {
		return s
	}
	got, err := tableChecksums(ctx, b.db, target)
	if err != nil {
		s.Err = err
		return s
	}
	if diffs := compareChecksums(p.want, got); diffs != nil {
		*mismatches++
		for _, d := range diffs {
			fmt.Fprintf(log, "MISMATCH: %s into %s: %s\n", what, target, d)
		}
	}
	return s
}

// stockReplay is what a sysadmin runs by hand: the archive files from the
// base's position, the source database only, renamed to the target.
func (b *bench) stockReplay(ctx context.Context, p *pitrSetup, target string) sample {
	args := []string{"--no-defaults", "--database=" + b.src, "--rewrite-db=" + b.src + "->" + target,
		"--skip-gtid-strict-mode", "--start-position=" + strconv.FormatUint(p.start, 10)}
	dec := exec.CommandContext(ctx, "mariadb-binlog", append(args, p.files...)...)
	load := exec.CommandContext(ctx, "mariadb", append(b.clientArgs(), "--binary-mode", target)...)
	s := runPipeline(ctx, b.srv.Pid(), dec, load)
	s.Size = p.bytes
	return s
}

// pitrEvents times `lifeboat binlog events --json` over the archive and
// counts what it listed.
func (b *bench) pitrEvents(ctx context.Context, p *pitrSetup) (sample, int) {
	var reply struct {
		Total int `json:"total"`
	}
	s, out := b.runJSON(ctx, p.config, &reply, "binlog", "events", "--json")
	s.Size = p.bytes
	if s.Err == nil && reply.Total < p.txs {
		s.Err = fmt.Errorf("binlog events listed %d transactions, fewer than the %d the restore replays: %s", reply.Total, p.txs, tailLines(out, 1))
	}
	return s, reply.Total
}

func reportPITR(w io.Writer, p *pitrSetup, ps pitrSeries, mismatches int) {
	files := fmt.Sprintf("%d archive files", len(p.files))
	if len(p.files) == 1 {
		files = "1 archive file"
	}
	fmt.Fprintf(w, "\n### Point-in-time restore (%s transactions, %s, %s of binary log)\n\n", humanize.Comma(int64(p.txs)), files, humanize.IBytes(uint64(p.bytes)))
	fmt.Fprintln(w, "The same base backup and archive files, restored into a fresh database each run; size is the binary log replayed.")
	printTable(w, "Point-in-time restore: base + replay", []*series{ps.lifeboat, ps.stockTotal}, ps.stockTotal)
	fmt.Fprintln(w, "\n### Replay only\n\n| replay | wall | throughput | wall vs "+cell(ps.stock.name)+" |\n|---|---:|---:|---:|")
	for _, s := range []*series{ps.replay, ps.stock} {
		if !s.ok() {
			fmt.Fprintf(w, "| %s | n/a: %s | | |\n", cell(s.name), cell(oneLine(s.err)))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", cell(s.name), secs(s.median(wall)), perSecond(p.txs, s.median(wall)), ratio(s, ps.stock, wall))
	}
	if ps.events.ok() {
		fmt.Fprintf(w, "\nlifeboat binlog events over the archive: %s for %s transactions (%s).\n", secs(ps.events.median(wall)), humanize.Comma(int64(ps.listed)), perSecond(ps.listed, ps.events.median(wall)))
	} else {
		fmt.Fprintf(w, "\nlifeboat binlog events over the archive: n/a: %s\n", oneLine(ps.events.err))
	}
	fmt.Fprintf(w, "Restores checked against the source at the stop point with CHECKSUM TABLE: %d, mismatches: %d\n", len(ps.lifeboat.samples)+len(ps.stockTotal.samples), mismatches)
	printTargets(w, []target{ratioTarget("lifeboat replay ≤ 1.0× mariadb-binlog | mariadb (wall, replay only)", ps.replay, ps.stock, wall, 1.0)})
}

func perSecond(n int, seconds float64) string {
	if seconds <= 0 {
		return "n/a"
	}
	return humanize.Comma(int64(float64(n)/seconds)) + " transactions/s"
}
