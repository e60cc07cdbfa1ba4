package engine

// The recoverable window in lifeboat metrics (issue 15): when a
// point-in-time restore can reach, how far the archive lags the server,
// and how many gaps split it. Only with [binlog] archive on.

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// gaugeFunc registers one gauge family (metricsRegistry's own).
type gaugeFunc func(name, help string, labels ...string) *prometheus.GaugeVec

// binlogMetrics adds the window's gauges. The archive files are checked
// by size only, as status does (a sha256 of every file on each scrape
// would be too slow); check hashes them. The lag is left out when the
// server cannot be asked, rather than shown as 0.
// An archive that cannot be read is exported as not recoverable, so the
// other metrics still reach the collector.
func (e *Engine) binlogMetrics(ctx context.Context, gauge gaugeFunc) {
	if !e.Cfg.Binlog.Archive {
		return
	}
	ok := gauge("binlog_recoverable", "1 when a point-in-time restore can reach some moment (a backup starts inside the archive), 0 when not.")
	w, err := e.RecoverableWindow(ctx, false)
	if err != nil || w == nil {
		ok.WithLabelValues().Set(0)
		return
	}
	ok.WithLabelValues().Set(boolGauge(w.Problem == ""))
	gauge("binlog_archive_gaps", "Gaps in the binary-log archive since the oldest backup it continues (missing, damaged or purged files).").
		WithLabelValues().Set(float64(len(w.Gaps)))
	if w.Problem == "" {
		gauge("binlog_recoverable_since_timestamp_seconds", "The oldest moment a point-in-time restore can reach (the oldest backup inside the archive).").
			WithLabelValues().Set(unixSeconds(w.From))
		gauge("binlog_recoverable_until_timestamp_seconds", "The newest moment a point-in-time restore can reach (the archive's last event).").
			WithLabelValues().Set(unixSeconds(w.To))
	}
	binlogOffsiteMetrics(w.Offsite, gauge, e.Remotes()) // binlog_remote_window.go
	if w.Server == "" {
		gauge("binlog_archive_lag_seconds", "How far the archive is behind the server's current binary log (0 when it holds it whole).").
			WithLabelValues().Set(w.Lag.Round(time.Millisecond).Seconds())
	}
}
