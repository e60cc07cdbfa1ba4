package engine

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestRestorePointNeedsReplayPrivilege: an account that may restore the
// target database but lacks BINLOG REPLAY (and SUPER) is refused a
// point-in-time restore up front, with the privilege and the GRANT to
// run, and nothing changes: no target database, no audit of a restore.
// Once granted, the same restore goes through, so the check asks for no
// more than the replay needs.
func TestRestorePointNeedsReplayPrivilege(t *testing.T) {
	ctx := context.Background()
	srv := testdb.BinlogServer(t, "ROW", 0)
	d := testdb.NewOn(t, srv)
	into := d.Name + "_pitr"
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)",
		"CREATE USER replayer@localhost IDENTIFIED BY 'pw-Replayer-1'",
		"GRANT SELECT, SHOW VIEW, BINLOG MONITOR ON *.* TO replayer@localhost",
		"GRANT CREATE, DROP, INSERT, UPDATE, DELETE, ALTER, INDEX, CREATE VIEW, CREATE ROUTINE, TRIGGER, EVENT ON `"+into+"`.* TO replayer@localhost")
	t.Cleanup(func() {
		d.Exec("DROP USER IF EXISTS replayer@localhost")
		d.Exec("DROP DATABASE IF EXISTS `" + into + "`")
	})
	root := pitrEngine(t, d)
	b, err := root.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "INSERT INTO t VALUES (2, 2)", "UPDATE t SET v = 9 WHERE id = 1", "DELETE FROM t WHERE id = 2")
	if _, err := root.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	evs, err := root.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name})
	if err != nil || len(evs) < 3 || evs[len(evs)-1].Kind != "DELETE" {
		t.Fatalf("events: %+v %v", evs, err)
	}
	stop := PointOptions{UntilGTID: evs[len(evs)-1].GTID, Into: into}
	cfg := *root.Cfg
	cfg.Database.User, cfg.Database.Password = "replayer", "pw-Replayer-1"
	e, err := Open(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	entries, _ := os.ReadDir(root.dir())
	audited, _ := audit.Read(root.dir(), 1000)
	want := "GRANT BINLOG REPLAY ON *.* TO 'replayer'@'localhost'"
	if _, err := e.PlanPointRestore(ctx, b.Filename, stop); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("plan without BINLOG REPLAY: %v, want the GRANT %q", err, want)
	}
	_, err = e.RestorePoint(ctx, b.Filename, stop, nil)
	if err == nil || !strings.Contains(err.Error(), "lacks BINLOG REPLAY (or SUPER)") || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("restore without BINLOG REPLAY: %v, want it refused naming the privilege and %q", err, want)
	}
	var n int
	if err := d.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", into).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the refused restore created %s (%d, %v)", into, n, err)
	}
	if after, _ := os.ReadDir(root.dir()); len(after) != len(entries) {
		t.Fatalf("the refused restore changed backup.dir: %d entries, was %d", len(after), len(entries))
	}
	if got, _ := audit.Read(root.dir(), 1000); len(got) != len(audited) {
		t.Fatalf("the refused restore logged %d audit entries, want none before the check: %+v", len(got)-len(audited), got[0])
	}

	d.MustExec(t, "GRANT BINLOG REPLAY ON *.* TO replayer@localhost")
	res, err := e.RestorePoint(ctx, b.Filename, stop, nil)
	if err != nil {
		t.Fatalf("restore with BINLOG REPLAY: %v", err)
	}
	var v int
	if err := d.QueryRow("SELECT v FROM `" + into + "`.t WHERE id = 1").Scan(&v); err != nil || v != 9 || res.Plan.Transactions != 2 {
		t.Fatalf("replayed %d transactions, v = %d (%v): want the INSERT and the UPDATE before the DELETE", res.Plan.Transactions, v, err)
	}
	if err := d.QueryRow("SELECT COUNT(*) FROM `" + into + "`.t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("%s.t holds %d rows (%v), want 2: the DELETE is the stop point", into, n, err)
	}
}
