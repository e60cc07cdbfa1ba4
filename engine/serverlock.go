package engine

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
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
// waiting up to wait for another holder.
func (e *Engine) lockDatabase(ctx context.Context, database string, wait time.Duration) (*serverLock, error) {
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
	var got sql.NullInt64
	err = l.conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, ?)", l.name, wait.Seconds()).Scan(&got)
	if err != nil {
		l.release()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("server lock %q on %s: %w", l.name, e.ServerLabel(), err)
	}
	if !got.Valid || got.Int64 != 1 {
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
