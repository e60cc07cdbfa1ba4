package engine

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/demo"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// pitrEngine is an engine on d with [binlog] archive on.
func pitrEngine(t *testing.T, d *testdb.DB) *Engine {
	t.Helper()
	cfg := &config.Config{
		Database: config.Database{Socket: d.Server.Socket, User: "root", Name: d.Name},
		Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Keep: 20, Compression: "gzip",
			Timezone: "UTC", StaleAfter: config.Duration{Duration: 26 * time.Hour}},
		Binlog: config.Binlog{Archive: true, KeepDays: 14},
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// fingerprint is CHECKSUM TABLE plus the row count of every table.
func fingerprint(t *testing.T, srv *sandbox.Server, db string) map[string]string {
	t.Helper()
	sums := bkChecksums(t, srv, db)
	pool, err := srv.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for tb, sum := range sums {
		var n int64
		if err := pool.QueryRow("SELECT COUNT(*) FROM `" + tb + "`").Scan(&n); err != nil {
			t.Fatal(err)
		}
		sums[tb] = fmt.Sprintf("%s/%d rows", sum, n)
	}
	return sums
}

// incidentWrites is a burst of the writes an application makes.
func incidentWrites(t *testing.T, d *testdb.DB, round int) {
	t.Helper()
	d.MustExec(t,
		fmt.Sprintf("UPDATE translations SET status = 'review', quality = %d.5 WHERE string_id %% 7 = %d", round, round%7),
		fmt.Sprintf("INSERT INTO languages (code, name, native_name) VALUES ('x%d', 'Extra %d', 'Ekstra')", round, round),
		fmt.Sprintf("UPDATE strings SET word_cost = word_cost + 1 WHERE id %% 5 = %d", round%5),
		fmt.Sprintf("DELETE FROM translations WHERE string_id %% 97 = %d AND language_id = 1", round),
	)
}

// TestPointInTimeScriptedIncident is the test that matters in issue 15:
// backup, writes with a schema change, fingerprint, a bad DELETE, more
// writes; the DELETE is found with binlog events, and a restore
// --until-gtid of it and one --at the fingerprint's time, each into
// another database, both equal the fingerprint exactly.
func TestPointInTimeScriptedIncident(t *testing.T) {
	ctx := context.Background()
	srv := testdb.BinlogServer(t, "ROW", 16384) // rotates many times
	d := testdb.NewOn(t, srv)
	if _, err := demo.Seed(ctx, d.DB, demo.Options{Scale: 0.02, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	e := pitrEngine(t, d)
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 3; round++ {
		incidentWrites(t, d, round)
	}
	d.MustExec(t, "ALTER TABLE translations ADD COLUMN reviewed_by VARCHAR(40) NULL")
	d.MustExec(t, "UPDATE translations SET reviewed_by = 'ana' WHERE status = 'review'")
	incidentWrites(t, d, 4)
	want := fingerprint(t, srv, d.Name)
	at := time.Now().Truncate(time.Second).Add(time.Second) // every write so far is before it
	time.Sleep(time.Until(at) + 50*time.Millisecond)

	d.MustExec(t, "DELETE FROM translations WHERE string_id IN (SELECT s.id FROM strings s JOIN sections se ON se.id = s.section_id JOIN areas a ON a.id = se.area_id WHERE a.project_id = 3)")
	var deleted int64
	for round := 5; round <= 6; round++ {
		incidentWrites(t, d, round)
	}
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}

	events, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name, Table: "translations", Since: at})
	if err != nil {
		t.Fatal(err)
	}
	var bad *BinlogEvent
	for i := range events {
		if events[i].Kind == "DELETE" && events[i].Rows > 50 {
			bad = &events[i]
			break
		}
	}
	if bad == nil {
		t.Fatalf("binlog events since %s lists no big DELETE on translations: %+v", at, events)
	}
	deleted = int64(bad.Rows)
	all, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name, Table: "translations", Until: at})
	var ddl bool
	for _, ev := range all {
		ddl = ddl || ev.Kind == "DDL" && strings.Contains(ev.Statement, "ADD COLUMN reviewed_by")
		if !ev.Time.Before(at) || ev.GTID == bad.GTID {
			t.Fatalf("binlog events --until %s lists %+v", at, ev)
		}
	}
	if err != nil || !ddl {
		t.Fatalf("binlog events --table translations before the DELETE: %d events, no ALTER TABLE among them (%v)", len(all), err)
	}
	t.Logf("the bad DELETE: GTID %s at %s:%d, %d rows, %s", bad.GTID, bad.File, bad.Position, deleted, bad.Time)

	for _, c := range []struct {
		name string
		base string
		opts PointOptions
	}{
		{"until-gtid", b.Filename, PointOptions{UntilGTID: bad.GTID, Into: d.Name + "_g"}},
		{"at", "", PointOptions{At: at, Into: d.Name + "_t"}},
		{"until-position", b.Filename, PointOptions{UntilPosition: fmt.Sprintf("%s:%d", bad.File, bad.Position), Into: d.Name + "_p"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan, err := e.PlanPointRestore(ctx, c.base, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Base != b.Filename || plan.Transactions < 10 || plan.First == nil || plan.Last == nil || len(plan.Files) < 2 {
				t.Fatalf("plan %+v: want base %s, the writes after it over several files", plan, b.Filename)
			}
			t0 := time.Now()
			res, err := e.RestorePoint(ctx, c.base, c.opts, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d transactions over %d files replayed in %v", c.name, plan.Transactions, len(plan.Files), time.Since(t0))
			root, _ := srv.Open("")
			defer root.Close()
			defer root.Exec("DROP DATABASE IF EXISTS `" + res.Plan.Database + "`")
			if got := fingerprint(t, srv, c.opts.Into); !maps.Equal(got, want) {
				t.Fatalf("restore %s: fingerprint differs\n got %v\nwant %v", c.name, got, want)
			}
		})
	}
	if maps.Equal(fingerprint(t, srv, d.Name), want) {
		t.Fatal("the live database still equals the fingerprint: the DELETE did not happen")
	}
}
