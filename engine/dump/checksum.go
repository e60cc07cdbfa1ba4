package dump

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
)

// checksumMaxBytes is the largest table (by DATA_LENGTH) summed: CHECKSUM
// TABLE reads the table a second time, which is cheap while it is in the
// buffer pool and a whole second scan of the disk when it is not.
var checksumMaxBytes int64 = 256 << 20

// checksums records CHECKSUM TABLE of every transactional table of the
// database just written, read in the dump's own snapshot: inside the
// snapshot's transaction CHECKSUM TABLE sees the rows as dumped, and it
// does not end the transaction. A swap restore compares them with the
// loaded copy before it swaps (issue 18). A table without a snapshot
// (MyISAM, Aria) may have changed since its rows were read: it gets none.
// A failure costs only the record: the dump goes on, and says so.
func checksums(ctx context.Context, s *session, parts []part, res *Result) error {
	// Each table is summed on the connection that read its first chunk:
	// that one holds its metadata lock already, so a DDL waiting for the
	// dump's lock cannot queue a new request behind it (a deadlock until
	// the DDL's lock_wait_timeout).
	byConn := make([][]*table, len(s.conns))
	n, big := 0, 0
	for _, p := range parts {
		ch := p.chunk
		switch {
		case ch == nil || !ch.first || !transactional(ch.t.engine):
		case ch.t.bytesEst > checksumMaxBytes:
			big++
		default:
			byConn[ch.conn] = append(byConn[ch.conn], ch.t)
			n++
		}
	}
	if big > 0 {
		what := fmt.Sprintf("%d tables over %s get", big, mib(checksumMaxBytes))
		if big == 1 {
			what = "1 table over " + mib(checksumMaxBytes) + " gets"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s no checksum (a second read of them would slow every backup): a swap restore checks their row counts", what))
	}
	if n == 0 {
		return nil
	}
	if res.Checksums == nil {
		res.Checksums = map[string]uint64{}
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	for i, c := range s.conns {
		wg.Add(1)
		go func(c *sql.Conn, tables []*table) {
			defer wg.Done()
			for _, t := range tables {
				if ctx.Err() != nil {
					return
				}
				var name string
				var sum sql.NullString // BIGINT UNSIGNED; NULL for a table it cannot read
				err := c.QueryRowContext(ctx, "CHECKSUM TABLE "+qi(t.name)).Scan(&name, &sum)
				var v uint64
				if err == nil && sum.Valid {
					v, err = strconv.ParseUint(sum.String, 10, 64)
				}
				mu.Lock()
				switch {
				case err != nil && first == nil:
					first = fmt.Errorf("CHECKSUM TABLE %s: %w", qi(t.name), err)
				case err == nil && sum.Valid:
					res.Checksums[t.resKey] = v
				}
				mu.Unlock()
			}
		}(c, byConn[i])
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if first != nil {
		for _, tables := range byConn {
			for _, t := range tables {
				delete(res.Checksums, t.resKey)
			}
		}
		res.Notes = append(res.Notes, fmt.Sprintf("no table checksums recorded (%v): a swap restore checks row counts only", first))
	}
	return nil
}
