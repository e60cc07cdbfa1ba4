package dump

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// heldWriter blocks every Write until open is closed.
type heldWriter struct {
	open chan struct{}
	n    int64
}

func (g *heldWriter) Write(p []byte) (int, error) {
	<-g.open
	g.n += int64(len(p))
	return len(p), nil
}

// Issue 19: while the writer is busy, each connection reads its chunk
// ahead (up to aheadBytes), so a table of small rows is read by both
// connections at once. Before, a worker stopped after two queued
// statements and the read was serial in practice.
func TestChunksReadAheadOfTheWriter(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE small (id INT PRIMARY KEY, s VARCHAR(8))",
		"INSERT INTO small SELECT seq, 'abc' FROM seq_1_to_200000", "ANALYZE TABLE small")
	tr := progress.Start("backup", nil, 0)
	defer tr.Finish()
	w := &heldWriter{open: make(chan struct{})}
	done := make(chan error, 1)
	var res Result
	go func() {
		var err error
		// 16 KB statements (about 1,500 rows), four chunks of 50,000 rows.
		res, err = Run(context.Background(), Options{MySQL: d.Server.Config(d.Name), Database: d.Name, Parallel: 2,
			ToolVersion: "test", ChunkRows: 50_000, MaxStatement: 64 << 10}, w, tr)
		done <- err
	}()
	deadline := time.Now().Add(30 * time.Second)
	for tr.Snapshot().Rows < 90_000 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	read := tr.Snapshot().Rows
	close(w.open)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if read < 90_000 {
		t.Errorf("with the writer blocked, the two connections read %d rows; want their two 50,000-row chunks (read ahead)", read)
	}
	if res.Rows != 200_000 || w.n == 0 {
		t.Errorf("dump: %d rows, %d bytes; want all 200,000 rows written", res.Rows, w.n)
	}
	if aheadBytes > 32<<20 {
		t.Errorf("aheadBytes = %d: memory is connections × aheadBytes; keep it small", aheadBytes)
	}
}
