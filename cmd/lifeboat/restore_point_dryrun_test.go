package main

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"
)

// TestRestorePointDryRunJSON: restore --at T and NAME --until-gtid G with
// --dry-run --json print the typed plan (base, base_at, database, stop,
// transactions, first, last, files), decoded with unknown keys refused,
// and change nothing: no target database, no safety backup, no audit
// line, the source untouched.
func TestRestorePointDryRunJSON(t *testing.T) {
	f := newFixture(t, "\n[binlog]\narchive = true\n")
	jsonReply[binlogSyncReply](t, f, "binlog", "sync")
	bk, _ := jsonReply[backupReply](t, f, "backup")
	f.db.MustExec(t, "INSERT INTO orders (customer_id,total) VALUES (2,42)", "UPDATE customers SET balance = 7 WHERE id = 1")
	at := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(at) + 50*time.Millisecond)
	f.db.MustExec(t, "DELETE FROM orders", "INSERT INTO orders (customer_id,total) VALUES (1,7)")
	jsonReply[binlogSyncReply](t, f, "binlog", "sync")
	evs, _ := jsonReply[binlogEventsReply](t, f, "binlog", "events", "--database", f.db.Name, "--since", at.Format(time.RFC3339))
	if len(evs.Events) != 2 || evs.Events[0].Kind != "DELETE" {
		t.Fatalf("binlog events since %s: %+v", at, evs.Events)
	}
	del := evs.Events[0]

	before := checksum(t, f.db, "`"+f.db.Name+"`.customers", "`"+f.db.Name+"`.orders")
	dir := dirList(t, f.dir)
	into := f.db.Name + "_dry"
	for _, c := range []struct {
		name string
		args []string
		stop string
	}{
		{"at", []string{"restore", "--at", at.Format(time.RFC3339)}, "before " + at.Format(time.RFC3339)},
		{"until-gtid", []string{"restore", bk.Backup.Filename, "--until-gtid", del.GTID}, "before GTID " + del.GTID},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, raw := jsonReply[pointPlanReply](t, f, append(c.args, "--into", into, "--dry-run")...)
			fields(t, sub(t, raw, "plan"), "base", "base_at", "database", "stop", "transactions", "first", "last", "files")
			pl := p.Plan
			if !p.Success || !p.DryRun || pl.Base != bk.Backup.Filename || pl.BaseAt == "" || pl.Database != into || pl.SourceDatabase != f.db.Name || pl.Stop != c.stop {
				t.Fatalf("plan %+v: want base %s into %s, stopping %s", p, bk.Backup.Filename, into, c.stop)
			}
			if pl.Transactions != 2 || pl.First == nil || pl.First.Kind != "INSERT" || pl.Last == nil || pl.Last.Kind != "UPDATE" || pl.Last.Table != f.db.Name+".customers" {
				t.Fatalf("plan replays %d transactions, first %+v, last %+v: want the INSERT and the UPDATE before the DELETE", pl.Transactions, pl.First, pl.Last)
			}
			if len(pl.Files) == 0 || pl.StartFile != pl.Files[0] || pl.StopFile != del.File || pl.StopPosition != del.Position || pl.SafetyBackup {
				t.Fatalf("plan files %v from %s:%d, stop %s:%d (want the DELETE's %s:%d), safety backup %v (the target does not exist)",
					pl.Files, pl.StartFile, pl.StartPosition, pl.StopFile, pl.StopPosition, del.File, del.Position, pl.SafetyBackup)
			}
		})
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", into).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the dry runs created database %s (%d, %v)", into, n, err)
	}
	if got := dirList(t, f.dir); !slices.Equal(got, dir) {
		t.Fatalf("the dry runs changed backup.dir: %v, was %v", got, dir)
	}
	if got := checksum(t, f.db, "`"+f.db.Name+"`.customers", "`"+f.db.Name+"`.orders"); got != before {
		t.Fatalf("the dry runs changed the source: %s, was %s", got, before)
	}
}

// dirList names the files in dir with their sizes (the audit log grows
// with every action, so an unchanged list means no action ran).
func dirList(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range ents {
		fi, err := en.Info()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d %s", en.Name(), fi.Size(), fi.ModTime()))
	}
	return out
}
