package main

import (
	"context"
	"database/sql"
	"time"
)

// settle waits, untimed, until the server has written out the dirty pages
// the step before left behind (the drop of the last tool's database, the
// fill of a swap restore's target), so that no timed run pays for writes
// that are not its own. While it waits it asks InnoDB to flush eagerly,
// then puts the setting back. It gives up after settleMax.
func (b *bench) settle(ctx context.Context) {
	var pct string
	if err := b.db.QueryRowContext(ctx, "SELECT @@GLOBAL.innodb_max_dirty_pages_pct").Scan(&pct); err != nil {
		return
	}
	if _, err := b.db.ExecContext(ctx, "SET GLOBAL innodb_max_dirty_pages_pct = 0"); err != nil {
		return
	}
	defer b.db.ExecContext(context.WithoutCancel(ctx), "SET GLOBAL innodb_max_dirty_pages_pct = "+pct)
	for end := time.Now().Add(settleMax); time.Now().Before(end) && ctx.Err() == nil; {
		if n, err := dirtyPages(ctx, b.db); err != nil || n <= settledPages {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

const (
	settleMax    = 30 * time.Second
	settledPages = 64 // 1 MiB of 16 KiB pages
)

// dirtyPages is InnoDB's count of buffer pool pages not yet written.
func dirtyPages(ctx context.Context, db *sql.DB) (int64, error) {
	var name string
	var n int64
	err := db.QueryRowContext(ctx, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'").Scan(&name, &n)
	return n, err
}
