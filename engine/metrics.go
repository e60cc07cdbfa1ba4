package engine

// lifeboat metrics: the Prometheus text format for node_exporter's
// textfile collector, built with client_golang and encoded by expfmt.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// metricsActions are the actions whose last success is exported.
var metricsActions = []Action{ActionCreate, ActionVerify, ActionPrune, ActionRestore, ActionProjectBackup}

// metricsRegistry gathers every metric from backup.dir (no server needed).
func (e *Engine) metricsRegistry() (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "lifeboat", Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	lastOK := gauge("last_success_timestamp_seconds", "When the last successful run of the action started.", "action")
	lastDur := gauge("last_success_duration_seconds", "How long the last successful run of the action took.", "action")
	size := gauge("last_backup_size_bytes", "Size of the newest complete backup.", "action")
	rows := gauge("last_backup_rows", "Rows in the newest complete backup.", "action")
	verify := gauge("last_verify_success", "1 when the last verify passed, 0 when it failed.")
	verifyAt := gauge("last_verify_timestamp_seconds", "When the last verify ran.")
	count := gauge("backups", "Complete backups kept per location.", "location")
	bytes := gauge("backups_bytes", "Bytes of complete backups per location.", "location")
	free := gauge("free_bytes", "Free bytes in the filesystem of backup.dir.", "location")

	st := Status{Dir: e.dir()}
	var last []audit.Entry
	if fi, err := os.Stat(st.Dir); err == nil && fi.IsDir() {
		st.DirExists = true
		var fs syscall.Statfs_t
		if syscall.Statfs(st.Dir, &fs) == nil {
			st.FreeBytes = fs.Bavail * uint64(fs.Bsize)
			free.WithLabelValues("local").Set(float64(st.FreeBytes))
		}
		last, _ = audit.Read(st.Dir, 5000)
	}
	entries, err := e.entries()
	if err != nil {
		return nil, err
	}
	e.summarize(&st, entries)
	count.WithLabelValues("local").Set(float64(st.Total))
	bytes.WithLabelValues("local").Set(float64(st.TotalSize))
	if len(e.Cfg.Remotes) > 0 {
		up := gauge("remote_up", "1 when the remote answered its listing, 0 when not.", "location")
		e.remoteStatus(context.Background(), &st)
		for _, rs := range st.Remotes {
			up.WithLabelValues(rs.Name).Set(boolGauge(rs.Reachable))
			if rs.Reachable {
				count.WithLabelValues(rs.Name).Set(float64(rs.Total))
				bytes.WithLabelValues(rs.Name).Set(float64(rs.TotalSize))
			}
		}
	}
	if lc := st.LastComplete; lc != nil {
		size.WithLabelValues(string(ActionCreate)).Set(float64(lc.Size))
		rows.WithLabelValues(string(ActionCreate)).Set(float64(lc.Rows))
	}
	e.binlogMetrics(context.Background(), gauge)
	seen := map[string]bool{}
	verified := false
	for _, en := range last { // newest first
		if en.Action == string(ActionVerify) && !verified && (en.Result == "ok" || en.Result == "failed") {
			verified = true
			verify.WithLabelValues().Set(boolGauge(en.Result == "ok"))
			verifyAt.WithLabelValues().Set(unixSeconds(en.Time))
		}
		if en.Result != "ok" || seen[en.Action] || !isMetricsAction(en.Action) {
			continue
		}
		seen[en.Action] = true
		lastOK.WithLabelValues(en.Action).Set(unixSeconds(en.Time))
		lastDur.WithLabelValues(en.Action).Set(float64(en.DurationMS) / 1000)
	}
	return reg, nil
}

func isMetricsAction(a string) bool {
	for _, m := range metricsActions {
		if string(m) == a {
			return true
		}
	}
	return false
}

func boolGauge(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// WriteMetrics writes the metrics in the Prometheus text format.
func (e *Engine) WriteMetrics(w io.Writer) error {
	reg, err := e.metricsRegistry()
	if err != nil {
		return err
	}
	mfs, err := reg.Gather()
	if err != nil {
		return err
	}
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(w, mf); err != nil {
			return err
		}
	}
	return nil
}

// WriteMetricsFile writes the metrics to path atomically: a temp file in
// the same directory, fsync, rename, so the collector never reads half a
// file. The file is 0644 (it holds no secret; node_exporter reads it).
func (e *Engine) WriteMetricsFile(path string) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("metrics %s: %w: check that the directory exists and is writable", path, err)
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("metrics %s: %w", path, err)
	}
	if err := e.WriteMetrics(tmp); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("metrics %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("metrics %s: %w", path, err)
	}
	return nil
}
