package dump

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// Consistency modes reported in Result and manifests.
const (
	ModeSnapshot       = "snapshot"        // one connection, one snapshot, no lock
	ModeSharedSnapshot = "shared-snapshot" // several connections, one snapshot, brief FTWRL
)

// session holds the dump's connections, all inside the same snapshot.
type session struct {
	db    *sql.DB
	conns []*sql.Conn
	res   *Result
	// snapshots is how many times the lock-free snapshot was taken
	// (snapshot_pos.go).
	snapshots int
}

// readSetup prepares a connection for reading: raw bytes in each column's
// own charset, TIMESTAMP in UTC, no timeouts cutting a slow writer off.
var readSetup = []string{
	"SET SESSION character_set_results = binary",
	"SET SESSION time_zone = '+00:00'",
	"SET SESSION net_write_timeout = 3600",
	"SET SESSION net_read_timeout = 3600",
	"SET SESSION wait_timeout = 28800",
	"SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
	// MariaDB only (MySQL reads /*M!...*/ as a comment): no statement
	// time limit may cut a long table read short.
	"SET SESSION sql_mode = '' /*M!100108 , SESSION max_statement_time = 0 */",
}

func openSession(ctx context.Context, cfg *mysql.Config, db string, parallel int, res *Result) (*session, error) {
	c := cfg.Clone()
	c.DBName = db
	c.InterpolateParams = true
	c.ParseTime = false
	if c.Collation == "" {
		c.Collation = "utf8mb4_general_ci"
	}
	connector, err := mysql.NewConnector(c)
	if err != nil {
		return nil, fmt.Errorf("database config: %w", err)
	}
	s := &session{db: sql.OpenDB(connector), res: res}
	s.db.SetMaxOpenConns(parallel + 1) // + the lock holder of startShared
	s.db.SetMaxIdleConns(parallel + 1)
	for i := 0; i < parallel; i++ {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("connect to the server: %w", err)
		}
		s.conns = append(s.conns, conn)
		for _, q := range readSetup {
			if _, err := conn.ExecContext(ctx, q); err != nil {
				s.close()
				return nil, fmt.Errorf("prepare connection (%s): %w", q, err)
			}
		}
	}
	if err := s.conns[0].QueryRowContext(ctx, "SELECT VERSION()").Scan(&res.ServerVersion); err != nil {
		s.close()
		return nil, fmt.Errorf("server version: %w", err)
	}
	if res.MaxAllowedPacket, err = readMaxPacket(ctx, s.conns[0]); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *session) close() {
	for _, c := range s.conns {
		c.ExecContext(context.Background(), "ROLLBACK")
		c.Close()
	}
	s.db.Close()
}

// start opens the snapshot. With one connection: START TRANSACTION WITH
// CONSISTENT SNAPSHOT, no lock at all. With several: a brief lock (MariaDB's
// BACKUP STAGE BLOCK_COMMIT, else FLUSH TABLES WITH READ LOCK), a snapshot
// on each, unlock. An account without RELOAD, or a lock not granted within
// 5 s, falls back to one connection and the result says so.
func (s *session) start(ctx context.Context) error {
	if len(s.conns) > 1 {
		err := s.startShared(ctx)
		if err == nil {
			return nil
		}
		var me *mysql.MySQLError
		if !errors.As(err, &me) {
			return err
		}
		switch me.Number {
		case 1227, 1045:
			s.res.Notes = append(s.res.Notes, "the account lacks RELOAD, so the dump read on one connection (grant RELOAD for parallel reads)")
		case 1205:
			s.res.Notes = append(s.res.Notes, "a long-running statement held the backup lock for 5 s, so the dump read on one connection")
		default:
			return err
		}
		for _, c := range s.conns[1:] {
			c.Close()
		}
		s.conns = s.conns[:1]
	}
	s.res.Consistency = ModeSnapshot
	return s.startAlone(ctx, s.conns[0]) // snapshot_pos.go
}

func (s *session) startShared(ctx context.Context) error {
	// The lock is held on a connection of its own: BACKUP STAGE END
	// implicitly commits, and on a reader it would end that reader's
	// snapshot, so its tables would be read as of later (issue 15).
	c0, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to the server: %w", err)
	}
	defer c0.Close()
	// Wait at most 5 s for the lock: a long query in the way must not
	// stall the server's writes; the dump falls back to one connection.
	if _, err := c0.ExecContext(ctx, "SET SESSION lock_wait_timeout = 5"); err != nil {
		return err
	}
	// MariaDB: BLOCK_COMMIT only pauses commits (reads and writes go on),
	// which is all that several snapshots need to see the same data.
	// Elsewhere: FLUSH TABLES WITH READ LOCK, as mydumper does.
	lock := []string{"BACKUP STAGE START", "BACKUP STAGE BLOCK_COMMIT"}
	unlockQ := "BACKUP STAGE END"
	if !strings.Contains(s.res.ServerVersion, "MariaDB") {
		lock, unlockQ = []string{"FLUSH TABLES WITH READ LOCK"}, "UNLOCK TABLES"
	}
	t0 := time.Now()
	unlock := func() { c0.ExecContext(context.Background(), unlockQ) }
	for _, q := range lock {
		if _, err := c0.ExecContext(ctx, q); err != nil {
			unlock()
			return err
		}
	}
	s.res.Lock = lock[len(lock)-1]
	for _, c := range s.conns {
		if _, err := c.ExecContext(ctx, "START TRANSACTION WITH CONSISTENT SNAPSHOT"); err != nil {
			unlock()
			return fmt.Errorf("start snapshot: %w", err)
		}
	}
	// While the lock holds no commit reaches the binary log, so its end is
	// exactly where the snapshots stand.
	err = s.readBinlog(ctx, c0, false)
	unlock()
	s.res.LockWindow = time.Since(t0)
	if err != nil {
		return err
	}
	s.res.Consistency = ModeSharedSnapshot
	return nil
}

// readBinlog records where the snapshot stands in the binary log. Without
// a lock, MariaDB's binlog_snapshot_* status gives the position that
// matches this connection's snapshot; BINLOG_GTID_POS turns it into a GTID.
func (s *session) readBinlog(ctx context.Context, c *sql.Conn, snapshotStatus bool) error {
	var file string
	var pos uint64
	if snapshotStatus {
		rows, err := c.QueryContext(ctx, "SHOW STATUS LIKE 'binlog_snapshot_%'")
		if err != nil {
			return fmt.Errorf("binlog position: %w", err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return err
			}
			switch strings.ToLower(k) {
			case "binlog_snapshot_file":
				file = v
			case "binlog_snapshot_position":
				fmt.Sscan(v, &pos)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("binlog position: %w", err)
		}
	} else {
		rows, err := c.QueryContext(ctx, "SHOW MASTER STATUS")
		if err != nil {
			return fmt.Errorf("binlog position: %w", err)
		}
		cols, _ := rows.Columns()
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return err
			}
			if len(vals) >= 2 {
				file = vals[0].String
				fmt.Sscan(vals[1].String, &pos)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("binlog position: %w", err)
		}
	}
	if file == "" {
		return nil // binary log off
	}
	b := &catalog.BinlogPosition{File: file, Position: pos}
	var gtid sql.NullString
	if err := c.QueryRowContext(ctx, "SELECT BINLOG_GTID_POS(?, ?)", file, pos).Scan(&gtid); err == nil {
		b.GTID = gtid.String
	}
	s.res.Binlog = b
	return nil
}
