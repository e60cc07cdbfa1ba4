package dump

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"golang.org/x/sync/semaphore"
)

// stmtSize is the target size of one multi-row INSERT. A single row larger
// than this goes alone in its statement.
const stmtSize = 1 << 20

// chunk is the data of one table, or one primary-key range of it. Its
// worker sends finished INSERT statements on out, in order, then closes
// out and sends its result on done.
type chunk struct {
	t     *table
	where string
	first bool // first chunk of its table
	last  bool // last chunk of its table
	lim   limits
	out   chan *[]byte
	ahead *semaphore.Weighted // bytes sent on out and not yet written (aheadBytes)
	done  chan error
	// set before out is closed:
	rows     int64
	maxStmt  int    // bytes of the largest statement sent
	maxValue int    // bytes of the largest value written in pieces
	note     string // what a reader should know (a row written whole above the portable cap)
	conn     int    // the session connection that read it (it holds the table's metadata lock)
}

// aheadBytes is how much of its chunk a worker may read ahead of the
// writer. The writer takes chunks in plan order, so a worker on a later
// chunk waits once this much is queued: with statements of 1 MB and only
// two queued, as before, the second connection stalled after 2 MB and the
// read of a table of small rows was serial in practice (issue 19). 16 MB
// is about one 200,000-row chunk of short rows; memory stays bounded by
// connections × (aheadBytes + one statement).
const aheadBytes = 16 << 20

// aheadCost is what a statement of n bytes takes from its chunk's budget
// (a statement larger than the budget takes all of it).
func aheadCost(n int) int64 { return int64(min(n, aheadBytes)) }

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, stmtSize+64<<10); return &b }}

func getBuf() *[]byte { b := bufPool.Get().(*[]byte); *b = (*b)[:0]; return b }

func putBuf(b *[]byte) {
	if cap(*b) <= 4*stmtSize { // huge single rows are not kept around
		bufPool.Put(b)
	}
}

// insertPrefix is "INSERT INTO `t` (`a`,`b`) VALUES ": always with a
// column list, so invisible columns are filled and generated ones skipped.
func insertPrefix(t *table) []byte {
	b := []byte("INSERT INTO ")
	b = quoteIdent(b, t.name)
	b = append(b, " ("...)
	for i, c := range t.cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = quoteIdent(b, c.name)
	}
	return append(b, ") VALUES "...)
}

func selectQuery(t *table, where string) string {
	b := []byte("SELECT /*!40001 SQL_NO_CACHE */ ")
	for i, c := range t.cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.expr...)
	}
	b = append(b, " FROM "...)
	b = quoteIdent(b, t.name)
	b = append(b, where...)
	return string(b)
}

// readChunk streams one chunk's rows as INSERT statements. It talks to the
// driver directly: database/sql's per-value conversion was a fifth of the
// dumper's CPU, and the driver's []byte values already point into its
// read buffer (valid until the next row), which is all we need.
func readChunk(ctx context.Context, c *sql.Conn, ch *chunk, tr *progress.Tracker) error {
	if len(ch.t.cols) == 0 {
		return nil
	}
	err := c.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("the MySQL driver cannot run queries directly")
		}
		rows, err := q.QueryContext(ctx, selectQuery(ch.t, ch.where), nil)
		if err != nil {
			return err
		}
		err = streamRows(ctx, rows, ch, tr)
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return tableErr(ch.t.name, "read rows", err)
	}
	return nil
}

// streamRows turns rows into statements of about stmtSize and sends them.
// Every exit but io.EOF from Next is an error: a killed connection never
// looks like the end of the table. A row that might not fit the batch, even
// if every byte needed escaping, leaves the hot path for bigRow.
func streamRows(ctx context.Context, rows driver.Rows, ch *chunk, tr *progress.Tracker) error {
	t := ch.t
	prefix := insertPrefix(t)
	batchSize := min(stmtSize, ch.lim.stmt/4)
	// a row of at most fast raw bytes (as counted below) fits a batch
	// that was under batchSize: an escaped value is at most twice as long,
	// plus its quotes, introducer and comma.
	fast := (ch.lim.stmt - len(prefix) - batchSize - 16*len(t.cols) - 2) / 2
	vals := make([]driver.Value, len(t.cols))
	buf := getBuf()
	defer func() {
		if buf != nil {
			putBuf(buf)
		}
	}()
	emit := func(b *[]byte) error {
		ch.maxStmt = max(ch.maxStmt, len(*b))
		*b = append(*b, ";\n"...)
		if err := ch.ahead.Acquire(ctx, aheadCost(len(*b))); err != nil {
			return err
		}
		select {
		case ch.out <- b:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	var batch int64
	flush := func() error {
		ch.rows += batch
		tr.AddRows(batch)
		batch = 0
		if err := emit(buf); err != nil {
			buf = nil
			return err
		}
		buf = getBuf()
		return nil
	}
	for {
		err := rows.Next(vals)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		size := 0
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				size += len(b) + 3
			} else {
				size += 24
			}
		}
		if size > fast {
			if batch > 0 {
				if err := flush(); err != nil {
					return err
				}
			}
			n, err := bigRow(ch, prefix, vals, emit)
			if err != nil {
				return err
			}
			ch.maxValue = max(ch.maxValue, n)
			ch.rows++
			tr.AddRows(1)
			continue
		}
		if batch > 0 && len(*buf)+size > batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
		if batch == 0 {
			*buf = append(*buf, prefix...)
		} else {
			*buf = append(*buf, ',')
		}
		*buf = appendRow(*buf, t.cols, vals)
		batch++
	}
	if batch > 0 {
		return flush()
	}
	return nil
}

// appendRow writes one row's tuple. The driver hands most values over as
// the server's text ([]byte) but parses integers and DOUBLE itself; they
// are written back exactly (shortest text that reads back to the same
// float64 bits).
func appendRow(b []byte, cols []column, vals []driver.Value) []byte {
	b = append(b, '(')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendValue(b, cols[i], v)
	}
	return append(b, ')')
}

// appendValue writes one value as a literal.
func appendValue(b []byte, col column, v driver.Value) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case []byte:
		return appendBytes(b, col, x)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case float32:
		return strconv.AppendFloat(b, float64(x), 'g', -1, 32)
	}
	// not produced by the text protocol; keep the value visible
	return appendEscaped(b, fmt.Append(nil, v))
}

func appendBytes(b []byte, col column, v []byte) []byte {
	switch col.kind {
	case kindNumber:
		return append(b, v...)
	case kindHex:
		return appendHex(b, v)
	case kindBinary:
		b = append(b, "_binary"...)
		return appendEscaped(b, v)
	}
	b = append(b, col.introducer...)
	return appendEscaped(b, v)
}

// tableErr names the table and turns the errors a sysadmin meets into
// advice: 1412 (the table changed under the snapshot), a killed connection.
func tableErr(name, what string, err error) error {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1412:
			return fmt.Errorf("table %s changed during the backup (ALTER, TRUNCATE or RENAME after the snapshot began; error 1412): run the backup again when no schema change is running: %w", qi(name), err)
		case 1317, 1927, 2013:
			return fmt.Errorf("table %s: the connection was killed or lost while reading (error %s); no backup was written: %w", qi(name), strconv.Itoa(int(me.Number)), err)
		}
	}
	if errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, sql.ErrConnDone) {
		return fmt.Errorf("table %s: the connection was killed or lost while reading; no backup was written: %w", qi(name), err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("table %s: %s: %w", qi(name), what, err)
}
