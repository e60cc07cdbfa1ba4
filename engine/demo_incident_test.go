package engine

import (
	"context"
	"testing"

	"github.com/lifeboat-dev/lifeboat/config"
)

// TestDemoIncidentInArchive runs the demo as `lifeboat demo` does (its
// own server, its config, a first backup, the scripted incident) and
// finds the bad DELETE with binlog events on the demo's archive, with the
// row count it really deleted; a restore to just before it (by GTID, into
// another database) gives back every deleted translation. The demo server
// has local_infile on, as a stock MariaDB does.
func TestDemoIncidentInArchive(t *testing.T) {
	ctx := context.Background()
	d, err := StartDemo(ctx, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Stop()
	cfg, err := config.LoadWith(d.Config, config.LoadOptions{NoOptionFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Binlog.Archive {
		t.Fatalf("the demo config does not turn on [binlog] archive")
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	b, err := e.Backup(ctx, BackupOptions{Reason: "demo"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := d.Server().Open(DemoDatabase)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var infile int
	if err := db.QueryRow("SELECT @@GLOBAL.local_infile").Scan(&infile); err != nil || infile != 1 {
		t.Errorf("the demo server's local_infile is %d (%v): its restores would not take the LOAD DATA path", infile, err)
	}
	var before int64
	if err := db.QueryRow("SELECT COUNT(*) FROM translations").Scan(&before); err != nil {
		t.Fatal(err)
	}
	var said []string
	inc, err := d.RunIncident(ctx, e, func(s string) { said = append(said, s) })
	if err != nil {
		t.Fatal(err)
	}
	if inc.Deleted < 1000 || len(said) == 0 {
		t.Fatalf("the incident deleted %d rows (want a big DELETE the Timeline marks, over 1,000) and said %q", inc.Deleted, said)
	}
	events, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: DemoDatabase, Table: "translations"})
	if err != nil {
		t.Fatal(err)
	}
	var bad *BinlogEvent
	kinds := map[string]int{}
	for i, ev := range events {
		kinds[ev.Kind]++
		if ev.Kind == "DELETE" && int64(ev.Rows) == inc.Deleted {
			bad = &events[i]
		}
	}
	if bad == nil || kinds["UPDATE"] < 2 || kinds["DDL"] < 1 {
		t.Fatalf("binlog events on the demo archive: no DELETE of %d rows, or too few other writes (%v) among %d events", inc.Deleted, kinds, len(events))
	}
	if bad.Time.Before(inc.Before) {
		t.Fatalf("the DELETE is at %s, before the moment %s the incident kept for it", bad.Time, inc.Before)
	}
	t.Logf("the demo's DELETE: GTID %s at %s:%d, %d rows, %s; %d events on translations", bad.GTID, bad.File, bad.Position, bad.Rows, bad.Time, len(events))

	res, err := e.RestorePoint(ctx, b.Filename, PointOptions{UntilGTID: bad.GTID, Into: "app_before"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var back, eo int64
	if err := db.QueryRow("SELECT COUNT(*) FROM app_before.translations").Scan(&back); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT COUNT(*) FROM app_before.languages WHERE code = 'eo'").Scan(&eo); err != nil {
		t.Fatal(err)
	}
	if back != before || eo != 1 || res.Plan.Transactions < len(demoBefore) {
		t.Fatalf("restored to before the DELETE: %d translations (want %d), Esperanto %d times (want 1), %d transactions replayed", back, before, eo, res.Plan.Transactions)
	}
}
