package main

// The scale table (issue 19): time must grow linearly with the data and
// memory stay flat. Every run keeps lifeboat's figures per shape in
// <results>/scale-<S>.json; a run at another scale than 1 prints its time
// per GB and peak RSS against the stored scale-1 figures.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
)

// shapeFigures are lifeboat's medians on one shape at one scale.
type shapeFigures struct {
	SQLBytes    int64   `json:"sql_bytes"`
	BackupWall  float64 `json:"backup_wall_seconds"`
	BackupRSS   float64 `json:"backup_peak_rss_bytes"`
	RestoreWall float64 `json:"restore_wall_seconds"`
	RestoreRSS  float64 `json:"restore_peak_rss_bytes"`
}

// perGB is seconds per GB (10⁹ bytes) of SQL; 0 when unknown.
func perGB(seconds float64, sqlBytes int64) float64 {
	if sqlBytes <= 0 || seconds <= 0 {
		return 0
	}
	return seconds / (float64(sqlBytes) / 1e9)
}

type scaleFigures struct {
	Scale  float64                 `json:"scale"`
	Shapes map[string]shapeFigures `json:"shapes"`
}

func defaultResultsDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "lifeboat", "bench")
}

func resultsFile(dir string, scale float64) string {
	return filepath.Join(dir, "scale-"+strconv.FormatFloat(scale, 'g', -1, 64)+".json")
}

// saveFigures merges this run's shapes into the file of its scale.
func saveFigures(dir string, fig scaleFigures) error {
	if dir == "" {
		return nil
	}
	old, err := loadFigures(dir, fig.Scale)
	if err == nil {
		for name, f := range fig.Shapes {
			old.Shapes[name] = f
		}
		fig = old
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(fig, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(resultsFile(dir, fig.Scale), append(b, '\n'), 0o600)
}

func loadFigures(dir string, scale float64) (scaleFigures, error) {
	var fig scaleFigures
	b, err := os.ReadFile(resultsFile(dir, scale))
	if err != nil {
		return fig, err
	}
	if err := json.Unmarshal(b, &fig); err != nil {
		return fig, fmt.Errorf("%s: %w", resultsFile(dir, scale), err)
	}
	if fig.Shapes == nil {
		fig.Shapes = map[string]shapeFigures{}
	}
	return fig, nil
}

// reportScale prints this run's time per GB, stores the figures, and, at
// a scale other than 1, compares them with the stored scale-1 run.
func reportScale(w, log io.Writer, f flags, fig scaleFigures) {
	if err := saveFigures(f.results, fig); err != nil {
		fmt.Fprintln(log, "lifeboat-bench: could not keep this run's figures for the scale table:", err)
	}
	var base scaleFigures
	var baseErr error = fmt.Errorf("this run is the scale-1 run")
	if f.scale != 1 {
		base, baseErr = loadFigures(f.results, 1)
	}
	fmt.Fprintf(w, "\n### Scale: lifeboat's time per GB of SQL and peak RSS (scale %g", f.scale)
	if baseErr == nil {
		fmt.Fprint(w, " against scale 1")
	}
	fmt.Fprintln(w, ")\n\n| shape | SQL | backup s/GB | restore s/GB | backup peak RSS | restore peak RSS | backup s/GB vs scale 1 | restore s/GB vs scale 1 | peak RSS at scale 1 |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|")
	var targets []target
	for _, sh := range shapes() {
		cur, ok := fig.Shapes[sh.name]
		if !ok {
			continue
		}
		row := fmt.Sprintf("| %s | %s | %.1f | %.1f | %s | %s |", sh.name, humanize.IBytes(uint64(cur.SQLBytes)),
			perGB(cur.BackupWall, cur.SQLBytes), perGB(cur.RestoreWall, cur.SQLBytes), mib(cur.BackupRSS), mib(cur.RestoreRSS))
		old, have := base.Shapes[sh.name]
		if baseErr != nil || !have {
			fmt.Fprintln(w, row+" n/a | n/a | n/a |")
			continue
		}
		bk := growth(perGB(cur.BackupWall, cur.SQLBytes), perGB(old.BackupWall, old.SQLBytes))
		rs := growth(perGB(cur.RestoreWall, cur.SQLBytes), perGB(old.RestoreWall, old.SQLBytes))
		fmt.Fprintf(w, "%s %s | %s | %s / %s |\n", row, bk.cell(), rs.cell(), mib(old.BackupRSS), mib(old.RestoreRSS))
		targets = append(targets,
			target{what: sh.name + ": backup time per GB within 10% of scale 1", value: bk.value, known: bk.known, limit: 1.10, unit: "×"},
			target{what: sh.name + ": peak RSS < 150 MB at both scales", value: max(cur.BackupRSS, cur.RestoreRSS, old.BackupRSS, old.RestoreRSS) / (1 << 20), known: true, limit: 150, unit: " MiB"})
	}
	switch {
	case f.scale == 1:
		fmt.Fprintf(w, "\nKept for the scale table in %s; `make bench SCALE=10` compares with it.\n", resultsFile(f.results, 1))
	case baseErr != nil:
		fmt.Fprintf(w, "\nNo scale-1 figures to compare with (%s): run `make bench` (SCALE=1) first.\n", strings.TrimSpace(baseErr.Error()))
	default:
		printTargets(w, targets)
	}
}

type ratioCell struct {
	value float64
	known bool
}

func growth(cur, old float64) ratioCell {
	if cur <= 0 || old <= 0 {
		return ratioCell{}
	}
	return ratioCell{cur / old, true}
}

func (r ratioCell) cell() string {
	if !r.known {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", r.value)
}

func mib(b float64) string { return fmt.Sprintf("%.0f MiB", b/(1<<20)) }

// parseShapes turns -shapes into shapes, refusing unknown names.
func parseShapes(list string) ([]shape, error) {
	var out []shape
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		sh, ok := shapeNamed(name)
		if !ok {
			var known []string
			for _, s := range shapes() {
				known = append(known, s.name)
			}
			return nil, fmt.Errorf("-shapes: unknown shape %q: use some of %s", name, strings.Join(known, ","))
		}
		out = append(out, sh)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-shapes: name at least one shape")
	}
	return out, nil
}

func shapeDatabase(sh shape) string { return "bench_" + sh.name }

// useShape points the bench (and lifeboat's configs) at a shape's database.
func (b *bench) useShape(sh shape) error {
	b.src, b.sums = shapeDatabase(sh), b.shapeSums[sh.name]
	if b.lifeboatErr != nil || b.lbConfig == "" {
		return nil
	}
	for path, compression := range map[string]string{b.lbConfig: "gzip", b.lbZstd: "zstd"} {
		if err := b.writeLifeboatConfig(path, compression); err != nil {
			return err
		}
	}
	return nil
}
