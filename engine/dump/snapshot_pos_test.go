package dump

import (
	"context"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestSnapshotAtFileStartIsTakenAgain: a binary-log position at the very
// start of a file (only its header events before it) is told apart from
// one after a transaction, and a lock-free dump on an idle server whose
// log was just rotated still records that start, after its retries.
func TestSnapshotAtFileStartIsTakenAgain(t *testing.T) {
	ctx := context.Background()
	d := testdb.NewOn(t, testdb.BinlogServer(t, "ROW", 0))
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "FLUSH BINARY LOGS")
	c, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	master := func() (string, uint64) {
		var file, pos string
		var rest [8]any
		rows, err := c.QueryContext(ctx, "SHOW MASTER STATUS")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		dest := []any{&file, &pos}
		for i := 2; i < len(cols); i++ {
			dest = append(dest, &rest[i-2])
		}
		if !rows.Next() || rows.Scan(dest...) != nil {
			t.Fatal("SHOW MASTER STATUS gave no row")
		}
		var p uint64
		for _, ch := range pos {
			p = p*10 + uint64(ch-'0')
		}
		return file, p
	}
	file, start := master()
	if !atFileStart(ctx, c, file, start) {
		t.Fatalf("%s:%d right after FLUSH BINARY LOGS should be the file's start", file, start)
	}

	res := &Result{}
	s := &session{res: res}
	if err := s.startAlone(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.ExecContext(ctx, "ROLLBACK")
	if res.Binlog == nil || res.Binlog.File != file || res.Binlog.Position != start {
		t.Fatalf("idle server: snapshot at %+v, want %s:%d", res.Binlog, file, start)
	}
	if s.snapshots != snapshotTries {
		t.Fatalf("a position at a file's start was trusted after %d snapshots, want %d", s.snapshots, snapshotTries)
	}

	d.MustExec(t, "INSERT INTO t VALUES (1)")
	file2, after := master()
	if file2 != file || after <= start || atFileStart(ctx, c, file2, after) {
		t.Fatalf("%s:%d after an INSERT is not the file's start (start %d)", file2, after, start)
	}
	if err := s.startAlone(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.ExecContext(ctx, "ROLLBACK")
	if res.Binlog.Position != after || s.snapshots != 1 {
		t.Fatalf("mid-file: snapshot at %+v after %d snapshots, want %d at the first", res.Binlog, s.snapshots, after)
	}
}
