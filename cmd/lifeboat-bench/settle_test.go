package main

import (
	"context"
	"testing"
)

// TestSettleWritesOutDirtyPages: after a bulk write leaves dirty pages in
// the buffer pool, settle returns only once InnoDB has written them out
// (down to settledPages), and it puts innodb_max_dirty_pages_pct back.
func TestSettleWritesOutDirtyPages(t *testing.T) {
	b := newTestBench(t)
	ctx := context.Background()
	var before string
	if err := b.db.QueryRowContext(ctx, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct").Scan(&before); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"CREATE DATABASE settle_t", "CREATE TABLE settle_t.w (id INT PRIMARY KEY, v VARCHAR(200))",
		"INSERT INTO settle_t.w SELECT seq, REPEAT('x', 200) FROM settle_t.seq_1_to_100000"} {
		if _, err := b.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	n, err := dirtyPages(ctx, b.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dirty pages after the write: %d", n)
	if n <= settledPages {
		t.Fatalf("the write left only %d dirty pages: the test proves nothing", n)
	}
	b.settle(ctx)
	if n, err = dirtyPages(ctx, b.db); err != nil || n > settledPages {
		t.Errorf("after settle: %d dirty pages (%v), want at most %d", n, err, settledPages)
	}
	var after string
	if err := b.db.QueryRowContext(ctx, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct").Scan(&after); err != nil || after != before {
		t.Errorf("innodb_max_dirty_pages_pct after settle: %q (%v), before %q", after, err, before)
	}
}
