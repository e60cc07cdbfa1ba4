package dump

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// snapshotTries is how often a lock-free snapshot is taken again while
// its binary-log position is the very start of a file (see startAlone).
const snapshotTries = 6

// startAlone opens the lock-free snapshot on c and reads its position.
//
// MariaDB's binlog_snapshot_position matches the snapshot, except just
// after a rotation: the new file's start is published before the last
// transaction of the old file is visible to new snapshots, so that
// transaction is in neither the snapshot nor the log after the position
// (TestBackupCoordinatesReplayEveryRowOnce caught it losing one row). So a
// position at a file's start is not trusted at once: the snapshot is taken
// again a little later, until it is past the start or the file has stayed
// at its start (an idle server), which is then the true position.
func (s *session) startAlone(ctx context.Context, c *sql.Conn) error {
	for try := 1; ; try++ {
		s.snapshots = try
		if _, err := c.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT"); err != nil {
			return fmt.Errorf("start snapshot: %w", err)
		}
		if err := s.readBinlog(ctx, c, true); err != nil {
			return err
		}
		b := s.res.Binlog
		if b == nil || try == snapshotTries || !atFileStart(ctx, c, b.File, b.Position) {
			return nil
		}
		if _, err := c.ExecContext(ctx, "ROLLBACK"); err != nil {
			return fmt.Errorf("start snapshot: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(try) * 20 * time.Millisecond):
		}
	}
}

// headerEvents open every binary-log file; a position with only these
// before it is the file's start.
var headerEvents = map[string]bool{
	"Format_desc": true, "Gtid_list": true, "Binlog_checkpoint": true,
	"Start_encryption": true, "Previous_gtids": true, "Rotate": true,
}

// atFileStart says whether pos in file has no transaction before it. An
// account that may not list the log's events (BINLOG MONITOR) gets false:
// the position is then taken as it is.
func atFileStart(ctx context.Context, c *sql.Conn, file string, pos uint64) bool {
	rows, err := c.QueryContext(ctx, "SHOW BINLOG EVENTS IN ? LIMIT 10", file)
	if err != nil {
		return false
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil || len(cols) < 5 {
		return false
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return false
		}
		var end uint64
		fmt.Sscan(vals[4].String, &end) // Log_name, Pos, Event_type, Server_id, End_log_pos, Info
		if end > pos {
			return true
		}
		if !headerEvents[vals[2].String] {
			return false
		}
	}
	return rows.Err() == nil
}
