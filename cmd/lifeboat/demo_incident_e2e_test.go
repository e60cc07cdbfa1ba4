package main

import (
	"path/filepath"
	"testing"
)

// demoIncidentListed checks, while `lifeboat demo` runs with TMPDIR=tmp,
// that `lifeboat binlog events --json` on the demo's own config lists the
// scripted incident's DELETE on translations with its row count (over
// 1,000, so the Timeline marks it), among the ordinary writes around it.
func demoIncidentListed(t *testing.T, tmp string) {
	t.Helper()
	cfgs, _ := filepath.Glob(filepath.Join(tmp, "lifeboat-demo-*", "config.toml"))
	if len(cfgs) != 1 {
		t.Fatalf("the running demo's config in %s: %v", tmp, cfgs)
	}
	r := lifeboat(t, []string{"HOME=" + t.TempDir()}, "--config", cfgs[0], "binlog", "events", "--json", "--table", "translations")
	evs := decodeJSON[binlogEventsReply](t, r)
	var del, other int
	for _, ev := range evs.Events {
		switch {
		case ev.Kind == "DELETE" && ev.Rows > 1000 && ev.Database == "app":
			del++
		case ev.Kind == "UPDATE" || ev.Kind == "DDL":
			other++
		}
	}
	if r.code != 0 || del != 1 || other < 2 {
		t.Fatalf("binlog events on the demo's archive (code %d): %d big DELETEs (want 1) and %d other writes among %+v", r.code, del, other, evs.Events)
	}
}
