package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// gaugeOf is the value of family name with label (k, v), or -1.
func gaugeOf(fams map[string]*dto.MetricFamily, name, k, v string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
	for _, m := range f.GetMetric() {
		ok := k == ""
		for _, l := range m.GetLabel() {
			if l.GetName() == k && l.GetValue() == v {
				ok = true
			}
		}
		if ok {
			return m.GetGauge().GetValue()
		}
	}
	return -1
}

// TestMetricsTextfileAfterBackupAndVerify: the textfile parses as the
// Prometheus text format and holds the last success, size, rows, verify
// result, count, bytes and free space; it is replaced atomically, 0644.
func TestMetricsTextfileAfterBackupAndVerify(t *testing.T) {
	e := monEngine(t, "")
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	if vr, err := e.Verify(ctx, res.Filename, VerifyOptions{}, progress.Nop); err != nil || !vr.OK {
		t.Fatalf("verify: %v %+v", err, vr)
	}
	out := filepath.Join(t.TempDir(), "lifeboat.prom")
	os.WriteFile(out, []byte("stale content"), 0o644)
	if err := e.WriteMetricsFile(out); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("metrics file: %v %v", fi, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
	f, _ := os.Open(out)
	defer f.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(f)
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v", err)
	}
	checks := []struct {
		name, k, v string
		want       func(float64) bool
	}{
		{"lifeboat_last_success_timestamp_seconds", "action", "create", func(x float64) bool { return int64(x) >= res.CreatedAt.Unix()-1 }},
		{"lifeboat_last_success_timestamp_seconds", "action", "verify", func(x float64) bool { return x > 0 }},
		{"lifeboat_last_success_duration_seconds", "action", "create", func(x float64) bool { return x >= 0 }},
		{"lifeboat_last_backup_size_bytes", "action", "create", func(x float64) bool { return int64(x) == res.Size }},
		{"lifeboat_last_backup_rows", "action", "create", func(x float64) bool { return x == 2 }},
		{"lifeboat_last_verify_success", "", "", func(x float64) bool { return x == 1 }},
		{"lifeboat_backups", "location", "local", func(x float64) bool { return x == 1 }},
		{"lifeboat_backups_bytes", "location", "local", func(x float64) bool { return int64(x) == res.Size }},
		{"lifeboat_free_bytes", "location", "local", func(x float64) bool { return x > 0 }},
	}
	for _, c := range checks {
		if got := gaugeOf(fams, c.name, c.k, c.v); !c.want(got) {
			t.Errorf("%s{%s=%q} = %v", c.name, c.k, c.v, got)
		}
	}
	var sb strings.Builder
	if err := e.WriteMetrics(&sb); err != nil || !strings.Contains(sb.String(), "# TYPE lifeboat_backups gauge") {
		t.Errorf("stdout form: %v %q", err, sb.String())
	}
}
