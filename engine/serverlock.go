package engine

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// ErrDatabaseBusy is returned when another lifeboat, whatever its config
// and backup.dir, holds the server lock of the database. It is a kind of
// catalog.ErrBusy, so callers that handle one handle both.
var ErrDatabaseBusy error = databaseBusy{}

type databaseBusy struct{}

func (databaseBusy) Error() string        { return "another lifeboat is working on this database" }
func (databaseBusy) Is(target error) bool { return target == catalog.ErrBusy }

// serverLock is a held GET_LOCK on its own connection: the server releases
// it when that connection ends, so a killed lifeboat leaves nothing behind.
type serverLock struct {
	srv  *sql.DB
	conn *sql.Conn
	name string
}

// serverLockName is the GET_LOCK name for database db; the server allows
// 64 characters, so a long name is shortened with a hash of the whole.
func serverLockName(db string) string {
	n := []rune("lifeboat:" + db)
	if len(n) <= 64 {
		return string(n)
	}
	sum := sha256.Sum256([]byte(db))
	return string(n[:47]) + "~" + hex.EncodeToString(sum[:8])
}

// lockDatabase takes the server lock of database on a dedicated connection,
// waiting up to wait for another holder; fn, when set, is told whom it
// waits for, and cancelling ctx ends the wait.
func (e *Engine) lockDatabase(ctx context.Context, database string, wait time.Duration, fn progress.Func, op string) (*serverLock, error) {
	srv, err := e.serverDB()
	if err != nil {
		return nil, err
	}
	l := &serverLock{srv: srv, name: serverLockName(database)}
	if l.conn, err = srv.Conn(ctx); err != nil {
		l.release()
		return nil, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	// The connection sits idle while the action works, perhaps for hours.
	_, _ = l.conn.ExecContext(ctx, "SET SESSION wait_timeout = 31536000")
	got, err := l.get(ctx, 0)
	if err == nil && !got && wait > 0 {
		tellWaiting(fn, op, fmt.Sprintf("waiting for %s, which works on database %q",
			lockHolder(ctx, l.conn, l.name), database))
		got, err = l.waitFor(ctx, e, wait)
	}
	if err != nil {
		l.release()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("server lock %q on %s: %w", l.name, e.ServerLabel(), err)
	}
	if !got {
		holder := lockHolder(ctx, l.conn, l.name)
		l.release()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("database %q on %s: %w (%s holds the server lock %q); wait for it to finish and try again",
			database, e.ServerLabel(), ErrDatabaseBusy, holder, l.name)
	}
	return l, nil
}

// get asks for the lock, waiting up to wait on the server.
func (l *serverLock) get(ctx context.Context, wait time.Duration) (bool, error) {
	var got sql.NullInt64
	err := l.conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", l.name, wait.Seconds()).Scan(&got)
	return got.Valid && got.Int64 == 1, err
}

// waitFor waits on the server for the lock. A cancelled ctx kills the
// waiting query from another connection, so the server stops waiting too
// instead of taking the lock later for a session nobody reads.
func (l *serverLock) waitFor(ctx context.Context, e *Engine, wait time.Duration) (bool, error) {
	var id int64
	if err := l.conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return false, err
	}
	stop := context.AfterFunc(ctx, func() {
		kctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = e.db.ExecContext(kctx, fmt.Sprintf("KILL QUERY %d", id))
	})
	defer stop()
	return l.get(ctx, wait)
}

// lockHolder names the session holding lock name, as far as this account
// may see it (PROCESSLIST shows other accounts' sessions only with PROCESS).
func lockHolder(ctx context.Context, conn *sql.Conn, name string) string {
	var id sql.NullInt64
	if conn.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", name).Scan(&id) != nil || !id.Valid {
		return "another session"
	}
	var user, host string
	err := conn.QueryRowContext(ctx, "SELECT USER, HOST FROM information_schema.PROCESSLIST WHERE ID = ?", id.Int64).Scan(&user, &host)
	if err != nil {
		return fmt.Sprintf("connection %d", id.Int64)
	}
	return fmt.Sprintf("connection %d of %s@%s", id.Int64, user, host)
}

// release gives the lock back; closing the connection would too, so a
// failure here costs nothing.
func (l *serverLock) release() {
	if l == nil {
		return
	}
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, _ = l.conn.ExecContext(ctx, "DO RELEASE_LOCK(?)", l.name)
		cancel()
		l.conn.Close()
	}
	l.srv.Close()
}
