package restore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
)

// commitBytes is how much INSERT text a worker sends per transaction:
// large enough to save the per-commit flush, small enough to replay after
// a deadlock.
const commitBytes = 16 << 20

// idleCommit is how long a worker with an open transaction waits for more
// work before it commits.
const idleCommit = 100 * time.Millisecond

// barrier waits until every queued insert has run, then has each worker
// commit its transaction.
func (x *executor) barrier() {
	x.inflight.Wait()
	var acks sync.WaitGroup
	acks.Add(len(x.ctl))
	for _, c := range x.ctl {
		c <- &acks
	}
	acks.Wait()
}

// worker runs inserts on its own connection, in transactions of about
// commitBytes, replaying them once if the server picks it as a deadlock
// victim. A message on ctl asks it to commit now.
func (x *executor) worker(conn *sql.Conn, ctl chan *sync.WaitGroup) {
	defer x.workers.Done()
	defer conn.Close()
	applied := 0
	var pending []job
	var wl workerLoad
	size := 0
	commit := func() {
		if len(pending) == 0 || x.err() != nil {
			return
		}
		if _, err := conn.ExecContext(x.ctx, "COMMIT"); err != nil {
			x.fail(err)
		}
		x.committed(&wl)
		pending, size = pending[:0], 0
	}
	// An idle worker commits soon: another worker may be waiting for a
	// row it holds (a duplicate key across batches).
	idle := time.NewTimer(time.Hour)
	defer idle.Stop()
	for {
		var j job
		idle.Reset(idleCommit)
		select {
		case ack, ok := <-ctl:
			if !ok {
				return
			}
			commit()
			ack.Done()
			continue
		case <-idle.C:
			commit()
			continue
		case j = <-x.jobs:
		}
		if x.err() != nil || x.ctx.Err() != nil {
			x.inflight.Done()
			continue
		}
		if applied < len(j.session) {
			for applied < len(j.session) {
				if _, err := conn.ExecContext(x.ctx, j.session[applied]); err != nil {
					x.fail(err)
				}
				applied++
			}
			// The dump's UNIQUE_CHECKS=0 would put the first transaction on
			// an empty table in InnoDB's bulk-insert mode, which locks the
			// table: the other workers would wait for its commit.
			if _, err := conn.ExecContext(x.ctx, workerChecks); err != nil {
				x.fail(err)
			}
			wl.charset = "" // SET NAMES may have changed it
		}
		pending = append(pending, j)
		if err := x.exec(conn, &wl, j, pending); err != nil {
			x.fail(err)
		}
		size += len(j.sql)
		if size >= commitBytes {
			commit()
		}
		x.inflight.Done()
	}
}

// exec runs one insert, as LOAD DATA when it can (loaddata.go); on a
// deadlock or lock wait timeout, or a LOAD DATA that did not load exactly
// the INSERT's rows, the whole transaction so far is rolled back and
// replayed once as the INSERTs.
func (x *executor) exec(conn *sql.Conn, wl *workerLoad, j job, pending []job) error {
	loaded, err := x.tryLoad(conn, wl, j)
	if !loaded && err == nil {
		_, err = conn.ExecContext(x.ctx, j.sql)
	}
	if retryable(err) || errors.Is(err, errInexact) {
		_, _ = conn.ExecContext(x.ctx, "ROLLBACK")
		wl.replayed()
		for _, p := range pending {
			if _, err = conn.ExecContext(x.ctx, p.sql); err != nil {
				j = p
				break
			}
		}
	}
	if err != nil && x.ctx.Err() != nil {
		return context.Cause(x.ctx)
	}
	if err != nil {
		return &StatementError{Line: j.line, Table: j.table, Excerpt: excerpt([]byte(j.sql[:min(len(j.sql), 100)])), Err: err}
	}
	x.tr.AddRows(int64(j.rows))
	x.rowsMu.Lock()
	x.rows += int64(j.rows)
	x.rowsMu.Unlock()
	return nil
}

func retryable(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1213 || me.Number == 1205)
}
