package main

import (
	"strings"
	"testing"
)

// TestTimelineIncidentInTmux is issue 15's scripted incident through the
// Timeline tab, in tmux against the real binary and server: after a
// backup and some writes, a DELETE of 1,500 rows is marked on the
// Timeline, n jumps to it, r shows the plan and asks for the database's
// name, and the restore brings back exactly the moment before it.
func TestTimelineIncidentInTmux(t *testing.T) {
	f := newFixture(t, "\n[binlog]\narchive = true\nkeep_days = 7\n")
	f.db.MustExec(t, "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(40))",
		"INSERT INTO notes SELECT seq, CONCAT('note ', seq) FROM seq_1_to_1500")
	jsonReply[binlogSyncReply](t, f, "binlog", "sync")
	if r := f.run(t, "backup"); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	f.db.MustExec(t, "INSERT INTO orders (customer_id,total) VALUES (2,42),(1,43)",
		"UPDATE customers SET balance = 99 WHERE id = 1",
		"ALTER TABLE notes ADD COLUMN seen TINYINT NOT NULL DEFAULT 0",
		"UPDATE notes SET seen = 1 WHERE id <= 10")
	tables := []string{"`" + f.db.Name + "`.customers", "`" + f.db.Name + "`.orders", "`" + f.db.Name + "`.notes"}
	want := checksum(t, f.db, tables...)
	f.db.MustExec(t, "DELETE FROM notes", "INSERT INTO orders (customer_id,total) VALUES (1,7)")
	jsonReply[binlogSyncReply](t, f, "binlog", "sync")

	s := startTmux(t, 80, 24, []string{"HOME=" + t.TempDir()}, "--config", f.config)
	s.waitFor("the screen", contains("Full backups"))
	s.keys("4")
	scr := s.waitFor("the timeline", contains("Recoverable: any moment from"))
	if !strings.Contains(scr, "━") || !strings.Contains(scr, "INSERT") {
		t.Fatalf("the Timeline should show the window's bar and the transactions:\n%s", scr)
	}
	s.keys("n")
	s.waitFor("the DELETE, marked", contains("! DELETE of 1,500 rows"))
	s.keys("r")
	scr = s.waitFor("the plan and the typed name", contains("Type "+f.db.Name+" to confirm"))
	for _, w := range []string{"Restore to just before this?", "DELETE of 1,500 rows", "It and everything after it are not applied."} {
		if !strings.Contains(scr, w) {
			t.Fatalf("the plan lacks %q:\n%s", w, scr)
		}
	}
	s.keys("-l", f.db.Name)
	s.keys("Enter")
	scr = s.waitForLong("the restore to finish", func(scr string) bool { return strings.Contains(scr, "restored ") || strings.Contains(scr, "✗") })
	if !strings.Contains(scr, "restored ") {
		t.Fatalf("the restore failed:\n%s", scr)
	}
	if got := checksum(t, f.db, tables...); got != want {
		t.Fatalf("after restoring to just before the DELETE: %s, want %s", got, want)
	}
	var n int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM notes WHERE seen = 1").Scan(&n); err != nil || n != 10 {
		t.Fatalf("notes seen after the restore: %d (%v), want the 10 of the UPDATE before the DELETE", n, err)
	}
	s.keys("q")
	s.waitFor("the program to exit", contains("EXITED"))
}
