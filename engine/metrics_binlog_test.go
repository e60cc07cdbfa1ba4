package engine

import (
	"context"
	"math"
	"os"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func gatherText(t *testing.T, e *Engine) map[string]*dto.MetricFamily {
	t.Helper()
	var sb strings.Builder
	if err := e.WriteMetrics(&sb); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(sb.String()))
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v", err)
	}
	return fams
}

// TestMetricsRecoverableWindow: with [binlog] archive, lifeboat metrics
// exports the recoverable window (since = the oldest backup inside the
// archive, until = its last event), the archive's lag and its gaps; no
// backup inside the archive is "not recoverable" with no window; a lag
// shows once the server wrote what the archive lacks; a missing file
// counts as a gap. Without the archive there is no binlog metric at all.
func TestMetricsRecoverableWindow(t *testing.T) {
	ctx := context.Background()
	if fams := gatherText(t, monEngine(t, "")); len(binlogFamilies(fams)) != 0 {
		t.Fatalf("binlog metrics without [binlog] archive: %v", binlogFamilies(fams))
	}
	srv := testdb.BinlogServer(t, "ROW", 0)
	d := testdb.NewOn(t, srv)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)")
	e := pitrEngine(t, d)
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	fams := gatherText(t, e)
	if gaugeOf(fams, "lifeboat_binlog_recoverable", "", "") != 0 || gaugeOf(fams, "lifeboat_binlog_recoverable_since_timestamp_seconds", "", "") != -1 {
		t.Fatalf("before any backup: %v, want recoverable 0 and no window", binlogFamilies(fams))
	}
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"INSERT INTO t VALUES (2, 1)", "FLUSH BINARY LOGS", "INSERT INTO t VALUES (3, 1)", "FLUSH BINARY LOGS", "UPDATE t SET v = 2"} {
		d.MustExec(t, q)
	}
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	w, err := e.RecoverableWindow(ctx, false)
	if err != nil || w.Problem != "" || w.Base != b.Filename {
		t.Fatalf("window: %+v %v", w, err)
	}
	fams = gatherText(t, e)
	for _, c := range []struct {
		name string
		want float64
	}{
		{"lifeboat_binlog_recoverable", 1},
		{"lifeboat_binlog_recoverable_since_timestamp_seconds", unixSeconds(b.CreatedAt)},
		{"lifeboat_binlog_recoverable_until_timestamp_seconds", unixSeconds(w.To)},
		{"lifeboat_binlog_archive_gaps", 0},
		{"lifeboat_binlog_archive_lag_seconds", 0},
	} {
		if got := gaugeOf(fams, c.name, "", ""); math.Abs(got-c.want) > 0.001 {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	if w.To.Before(b.CreatedAt) {
		t.Errorf("the window ends at %s, before the backup at %s", w.To, b.CreatedAt)
	}

	d.MustExec(t, "INSERT INTO t VALUES (4, 1)") // not archived yet
	if lag := gaugeOf(gatherText(t, e), "lifeboat_binlog_archive_lag_seconds", "", ""); lag <= 0 {
		t.Errorf("lag after a write the archive lacks = %v, want above 0", lag)
	}
	m, _ := e.trustedManifest(b.Filename)
	files, _ := binlog.Files(e.binlogDir())
	for _, f := range files {
		if binlog.Number(f.Name) > binlog.Number(m.Binlog.File) && f.Index != nil {
			os.Remove(f.Path)
			os.Remove(f.Path + binlog.IndexSuffix)
			break
		}
	}
	if gaps := gaugeOf(gatherText(t, e), "lifeboat_binlog_archive_gaps", "", ""); gaps != 1 {
		t.Errorf("gaps after removing a file after the backup's = %v, want 1 (files %v)", gaps, files)
	}
}

func binlogFamilies(fams map[string]*dto.MetricFamily) []string {
	var out []string
	for n := range fams {
		if strings.HasPrefix(n, "lifeboat_binlog_") {
			out = append(out, n)
		}
	}
	return out
}
