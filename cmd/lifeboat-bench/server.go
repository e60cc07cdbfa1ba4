package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/BurntSushi/toml"
	"github.com/dustin/go-humanize"
)

// The whole-server row (issue 17): one backup of every shape's database
// in one file (database.names) against the sum of the single-database
// backups of the same databases, as time per byte of backup written. The
// target: the whole-server backup is no slower per byte.

// serverRun is one round: the whole-server backup and each single one.
type serverRun struct {
	whole  sample
	single []sample
}

// benchServer measures the row on every loaded shape's database; with
// fewer than two there is nothing to compare and it says so.
func benchServer(ctx context.Context, b *bench, runs int, stdout, log io.Writer) {
	var dbs []string
	for name := range b.shapeSums {
		dbs = append(dbs, shapeDatabase(shape{name: name}))
	}
	sort.Strings(dbs)
	fmt.Fprintf(stdout, "\n### Whole-server backup (database.names, %d databases in one file)\n\n", len(dbs))
	if len(dbs) < 2 {
		fmt.Fprintln(stdout, "n/a: needs two shapes or more (-shapes)")
		return
	}
	whole, singles, err := b.serverConfigs(dbs)
	if err != nil {
		fmt.Fprintln(stdout, "n/a:", err)
		return
	}
	var rounds []serverRun
	for run := 1; run <= runs && ctx.Err() == nil; run++ {
		r := serverRun{whole: b.backupWith(ctx, whole)}
		logSample(log, "backup", run, runs, "lifeboat, whole server", r.whole)
		for i, cfg := range singles {
			s := b.backupWith(ctx, cfg)
			logSample(log, "backup", run, runs, "lifeboat, "+dbs[i], s)
			r.single = append(r.single, s)
		}
		rounds = append(rounds, r)
	}
	reportServer(stdout, dbs, rounds)
}

// serverConfigs writes the whole-server config and one per database,
// all gzip into lifeboat's backup directory.
func (b *bench) serverConfigs(dbs []string) (string, []string, error) {
	if b.lifeboatErr != nil {
		return "", nil, b.lifeboatErr
	}
	write := func(name string, database map[string]any) (string, error) {
		database["socket"], database["user"] = b.srv.Socket, "root"
		cfg := map[string]any{"database": database, "backup": map[string]any{"dir": b.lbBackups, "keep": 1000, "compression": "gzip"}}
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(cfg); err != nil {
			return "", err
		}
		path := filepath.Join(b.work, name)
		return path, os.WriteFile(path, buf.Bytes(), 0o600)
	}
	whole, err := write("lifeboat-server.toml", map[string]any{"names": dbs})
	if err != nil {
		return "", nil, err
	}
	var singles []string
	for _, db := range dbs {
		p, err := write("lifeboat-"+db+".toml", map[string]any{"name": db})
		if err != nil {
			return "", nil, err
		}
		singles = append(singles, p)
	}
	return whole, singles, nil
}

// backupWith runs one lifeboat backup with config cfg and removes the file.
func (b *bench) backupWith(ctx context.Context, cfg string) sample {
	saved := b.lbConfig
	b.lbConfig = cfg
	defer func() { b.lbConfig = saved }()
	s, name := b.lifeboatBackup(ctx)
	b.removeLifeboatBackup(name)
	return s
}

// reportServer prints the medians and the per-byte target.
func reportServer(w io.Writer, dbs []string, rounds []serverRun) {
	whole, sum := &series{name: "whole server, one file"}, &series{name: "sum of single-database backups"}
	for _, r := range rounds {
		whole.add(r.whole)
		total := sample{}
		for _, s := range r.single {
			if s.Err != nil {
				total.Err = s.Err
				break
			}
			total.Wall += s.Wall
			total.CPU += s.CPU
			total.Size += s.Size
			total.RSS = max(total.RSS, s.RSS)
		}
		sum.add(total)
	}
	fmt.Fprintf(w, "Databases: %v; the sum's peak RSS is the largest single backup's.\n\n", dbs)
	fmt.Fprintln(w, "| backup | wall | CPU | peak RSS | size | wall per MiB |\n|---|---:|---:|---:|---:|---:|")
	for _, s := range []*series{whole, sum} {
		if !s.ok() {
			fmt.Fprintf(w, "| %s | n/a: %s | | | | |\n", s.name, cell(oneLine(s.err)))
			continue
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", s.name, secs(s.median(wall)), secs(s.median(cpu)),
			humanize.IBytes(uint64(s.median(rss))), humanize.IBytes(uint64(s.median(size))), fmt.Sprintf("%.3f s", perByte(s)*(1<<20)))
	}
	t := target{what: "whole-server backup ≤ 1.0× the single-database backups, wall per byte", limit: 1.0, unit: "×"}
	if whole.ok() && sum.ok() && perByte(sum) > 0 {
		t.value, t.known = perByte(whole)/perByte(sum), true
	}
	printTargets(w, []target{t})
}

// perByte is the median wall time per byte written.
func perByte(s *series) float64 {
	return s.median(func(x sample) float64 {
		if x.Size == 0 {
			return 0
		}
		return x.Wall.Seconds() / float64(x.Size)
	})
}
