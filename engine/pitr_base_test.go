package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestPointBaseWithoutNameIsBeforeTheStop: with no backup named, a
// restore --until-gtid or --until-position (the Timeline's "restore to
// just before this") starts from the newest backup whose coordinates are
// before that transaction, not from the newest backup, which may already
// hold it.
func TestPointBaseWithoutNameIsBeforeTheStop(t *testing.T) {
	ctx := context.Background()
	d := testdb.NewOn(t, testdb.BinlogServer(t, "ROW", 4096))
	d.MustExec(t, "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(40))", "INSERT INTO notes VALUES (1, 'before')")
	e := pitrEngine(t, d)
	older, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "FLUSH BINARY LOGS", "INSERT INTO notes VALUES (2, 'the one to undo')", "FLUSH BINARY LOGS")
	newer, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "INSERT INTO notes VALUES (3, 'after both')")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	evs, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name, Table: "notes"})
	if err != nil {
		t.Fatal(err)
	}
	var inserts []BinlogEvent
	for _, ev := range evs {
		if ev.Kind == "INSERT" {
			inserts = append(inserts, ev)
		}
	}
	if len(inserts) != 3 {
		t.Fatalf("want the 3 inserts into notes in the archive, got %+v", evs)
	}
	second, third := inserts[1], inserts[2]
	// Newest reads the files newest first: across the rotated files, the
	// newest N of everything are the last N of the whole list, in log order.
	whole, err := e.BinlogEvents(ctx, BinlogEventsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3, len(whole) - 1, len(whole) + 5} {
		got, err := e.BinlogEvents(ctx, BinlogEventsOptions{Newest: n})
		want := whole[max(0, len(whole)-n):]
		if err != nil || len(got) != len(want) {
			t.Fatalf("newest %d of %d: %d events (%v)", n, len(whole), len(got), err)
		}
		for i := range want {
			if got[i].File != want[i].File || got[i].Position != want[i].Position {
				t.Fatalf("newest %d: event %d is %s:%d, want %s:%d", n, i, got[i].File, got[i].Position, want[i].File, want[i].Position)
			}
		}
	}
	files := map[string]bool{}
	for _, ev := range whole {
		files[ev.File] = true
	}
	if len(files) < 3 {
		t.Fatalf("the events are in %d file(s): the log should have rotated twice", len(files))
	}
	last, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name, Table: "notes", Newest: 2})
	if err != nil || len(last) != 2 || last[0].GTID != evs[len(evs)-2].GTID || last[1].GTID != third.GTID {
		t.Fatalf("binlog events, newest 2: %+v (%v), want the last two of %d", last, err, len(evs))
	}
	for _, c := range []struct {
		opts PointOptions
		base string
	}{
		{PointOptions{UntilGTID: second.GTID}, older.Filename},
		{PointOptions{UntilPosition: fmt.Sprintf("%s:%d", second.File, second.Position)}, older.Filename},
		{PointOptions{UntilGTID: third.GTID}, newer.Filename},
	} {
		plan, err := e.PlanPointRestore(ctx, "", c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Base != c.base {
			t.Errorf("%+v: base %s, want %s", c.opts, plan.Base, c.base)
		}
	}
	_, err = e.PlanPointRestore(ctx, "", PointOptions{UntilGTID: "0-1-999999"})
	if err == nil || !strings.Contains(err.Error(), "0-1-999999") || !strings.Contains(err.Error(), "binlog events") {
		t.Fatalf("an unknown GTID: %v, want an error naming it and binlog events", err)
	}

	into := d.Name + "_undo"
	if _, err := e.RestorePoint(ctx, "", PointOptions{UntilGTID: second.GTID, Into: into}, nil); err != nil {
		t.Fatal(err)
	}
	pool, err := d.Server.Open(into)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var ids string
	if err := pool.QueryRow("SELECT GROUP_CONCAT(id ORDER BY id) FROM notes").Scan(&ids); err != nil {
		t.Fatal(err)
	}
	if ids != "1" {
		t.Fatalf("restored to just before insert 2 from the older backup: ids %q, want \"1\"", ids)
	}
}
