package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/go-sql-driver/mysql"
)

// A query that holds a live table (a long report, an open transaction)
// makes the window's DROP TRIGGER or RENAME TABLE wait for it, and every
// other query of the application queues behind that wait: a window of
// milliseconds would become as long as the longest query. So up to the
// RENAME the swap waits swapLockWait at most; then it puts live's
// triggers back (nothing else changed), lets the queue drain, and tries
// again, swapTries times in all (issue 18).
var (
	swapLockWait  = 1 // seconds: the session's lock_wait_timeout up to the RENAME
	swapTries     = 10
	swapRetryWait = 500 * time.Millisecond
)

// windowWithRetry runs the swap window on c until it goes through, or
// fails otherwise than on a lock wait before the RENAME, or runs out of
// tries. window is the last try's.
func windowWithRetry(ctx context.Context, c *sql.Conn, id int64, live, incoming, prev string, old, neu schemaObjects) (window time.Duration, err error) {
	for try := 1; ; try++ {
		if _, err := c.ExecContext(ctx, "SET SESSION lock_wait_timeout = ?", swapLockWait); err != nil {
			return 0, err
		}
		clock := &swapClock{c: c}
		start := time.Now()
		renamed, werr := swapWindow(ctx, clock, id, live, incoming, prev, old, neu)
		window = time.Since(start)
		if swapStepsHook != nil {
			swapStepsHook(clock.steps)
		}
		if werr == nil || renamed || !lockWaitTimeout(werr) {
			return window, werr
		}
		if try == swapTries {
			return window, fmt.Errorf("%w: a query or transaction held a table of %q for over %d s at each of %d tries", werr, live, swapLockWait, swapTries)
		}
		if err := triggersBack(ctx, c, live, old); err != nil {
			return window, fmt.Errorf("%w; and live's triggers could not be put back to try again: %v", werr, err)
		}
		time.Sleep(swapRetryWait)
	}
}

// triggersBack re-creates live's triggers after a try that dropped some
// of them and stopped before the RENAME.
func triggersBack(ctx context.Context, c *sql.Conn, live string, old schemaObjects) error {
	if _, err := c.ExecContext(ctx, "SET SESSION lock_wait_timeout = DEFAULT"); err != nil {
		return err
	}
	var triggers []schemaObject
	for _, o := range old.objects {
		if o.kind == "TRIGGER" {
			triggers = append(triggers, o)
		}
	}
	return createObjects(ctx, c, triggers, live, live)
}

// lockWaitTimeout is ER_LOCK_WAIT_TIMEOUT: the statement did nothing.
func lockWaitTimeout(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == 1205
}
