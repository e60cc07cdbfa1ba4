package main

import (
	"strings"
	"testing"
	"time"
)

// TestBinlogSyncEventsAndRestoreAt is issue 15 from the command line: binlog
// sync, binlog events finding a bad DELETE, and restore --at the moment
// before it into another database, with the JSON shapes of DESIGN.md.
func TestBinlogSyncEventsAndRestoreAt(t *testing.T) {
	f := newFixture(t, "\n[binlog]\narchive = true\nkeep_days = 7\n")
	sync, raw := jsonReply[binlogSyncReply](t, f, "binlog", "sync")
	fields(t, raw, "success", "message", "archive_directory", "indexed", "open_file")
	if !sync.Success || sync.Open == "" {
		t.Fatalf("binlog sync: %+v", sync)
	}
	if r := f.run(t, "backup"); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	f.db.MustExec(t, "INSERT INTO orders (customer_id,total) VALUES (2,42),(1,43)", "UPDATE customers SET balance = 99 WHERE id = 1")
	want := checksum(t, f.db, "`"+f.db.Name+"`.customers", "`"+f.db.Name+"`.orders")
	at := time.Now().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(at) + 50*time.Millisecond)
	f.db.MustExec(t, "DELETE FROM orders", "INSERT INTO orders (customer_id,total) VALUES (1,7)")
	jsonReply[binlogSyncReply](t, f, "binlog", "sync")

	st, rawSt := jsonReply[statusReply](t, f, "status")
	rw := sub(t, rawSt, "recoverable_window")
	fields(t, rw, "from", "to", "gaps")
	if w := st.RecoverableWindow; w == nil || w.From == "" || w.To == "" || len(w.Gaps) != 0 || w.Problem != "" {
		t.Fatalf("status recoverable_window: %+v", st.RecoverableWindow)
	}
	if r := f.run(t, "status"); !strings.Contains(r.stdout, "recovery   any moment from ") {
		t.Fatalf("status text has no recoverable window: %q", r.stdout)
	}

	evs, raw := jsonReply[binlogEventsReply](t, f, "binlog", "events", "--database", f.db.Name, "--table", "orders", "--since", at.Format(time.RFC3339))
	if len(evs.Events) != 2 || evs.Events[0].Kind != "DELETE" || evs.Events[0].Rows != 5 || evs.Events[1].Kind != "INSERT" {
		t.Fatalf("binlog events since %s: %+v, want the DELETE of 5 rows then the INSERT", at, evs.Events)
	}
	ev := raw["events"].([]any)[0].(map[string]any)
	fields(t, ev, "time", "gtid", "file", "position", "database", "table", "kind", "rows", "statement")

	into := f.db.Name + "_pitr"
	defer f.db.Exec("DROP DATABASE IF EXISTS `" + into + "`")
	if r := f.run(t, "restore", "--at", at.Format(time.RFC3339), "--into", into); r.code == 0 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("restore --at without a terminal or --yes: code %d %q", r.code, r.stderr)
	}
	res, _ := jsonReply[pointRestoreReply](t, f, "restore", "--at", at.Format(time.RFC3339), "--into", into, "--yes")
	if !res.Success || res.Restore.Database != into || res.Restore.Transactions != 2 {
		t.Fatalf("restore --at: %+v, want the 2 transactions before the DELETE replayed into %s", res, into)
	}
	got := checksum(t, f.db, "`"+into+"`.customers", "`"+into+"`.orders")
	if strings.ReplaceAll(got, into, f.db.Name) != want {
		t.Fatalf("restore --at: checksum %s, want %s (the moment before the DELETE)", got, want)
	}
}
