package restore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/go-sql-driver/mysql"
)

// LOAD DATA LOCAL INFILE for the rows of the dump's INSERTs (issue 18).
// Each worker turns an INSERT it can convert exactly (loadconvert.go) into
// LOAD DATA text and serves it to the server through the driver's reader
// handler under a name of its own: the only thing the driver ever sends.
// It is never AllowAllFiles nor a registered file, and a LOAD DATA in the
// file itself stays refused by the gate. When the server has local_infile
// off, or a table's LOAD DATA does not load exactly the INSERT's rows
// (any warning, a row count that differs, an error), the transaction is
// rolled back and replayed as the INSERTs, and that table (or, when the
// server refuses LOCAL, every table) goes on with INSERTs.
//
// A table goes by LOAD DATA wherever its statements convert: over whole
// restores it took 0.45-0.87x of the INSERTs' time on narrow rows with
// keys and 0.58-0.85x on wide text (TestLoadDataSpeedByShape). Choosing
// per table by timing its first statements both ways was tried and
// dropped: on a busy two-core machine single statements scattered so
// much that it picked the slower way as often as not.

// loadMinBytes is the smallest INSERT sent as LOAD DATA (a guess, not a
// measurement: a small statement saves little parsing for the extra round
// trips of the file request and the warning count).
const loadMinBytes = 16 << 10

var loadSeq atomic.Int64

// loader is the executor's LOAD DATA state.
type loader struct {
	on      atomic.Bool // the server takes LOCAL INFILE
	mu      sync.Mutex
	tables  map[string]*loadTable // column facts, cleared by every DDL
	refused map[string]bool       // tables that go on with INSERTs
	rows    atomic.Int64          // rows loaded by LOAD DATA
}

// errInexact asks the worker to roll back and replay its transaction as
// INSERTs: LOAD DATA did not load exactly what the INSERT would.
var errInexact = errors.New("LOAD DATA did not load the same rows as the INSERT")

// startLoader decides whether LOAD DATA may be used at all: not when asked
// not to, for a dump of several databases, or when the server's
// local_infile is off (lifeboat never changes it).
func (x *executor) startLoader() {
	x.load.tables, x.load.refused = map[string]*loadTable{}, map[string]bool{}
	if x.opts.NoLoadData || x.opts.Pick != nil {
		return
	}
	var on string
	if err := x.main.QueryRowContext(x.ctx, "SELECT @@GLOBAL.local_infile").Scan(&on); err != nil {
		return
	}
	x.load.on.Store(on == "1" || strings.EqualFold(on, "ON"))
}

// forgetTables drops the column facts: a DDL statement may change them.
func (x *executor) forgetTables() {
	x.load.mu.Lock()
	clear(x.load.tables)
	x.load.mu.Unlock()
}

// workerLoad is one worker's view of its session for LOAD DATA.
type workerLoad struct {
	charset string // character_set_connection when it equals the client's; "" unknown, "-" unusable
	buf     []byte
	rows    int64 // loaded in the open transaction: counted at its commit
}

// committed counts the open transaction's loaded rows; replayed forgets
// them (its rows went again as INSERTs).
func (x *executor) committed(w *workerLoad) { x.load.rows.Add(w.rows); w.rows = 0 }
func (w *workerLoad) replayed()             { w.rows = 0 }

// tryLoad runs j as LOAD DATA when it can; loaded is false when the
// INSERT must run instead. errInexact means the rows are not the INSERT's.
func (x *executor) tryLoad(conn *sql.Conn, w *workerLoad, j job) (loaded bool, err error) {
	if !x.load.on.Load() || len(j.sql) < loadMinBytes {
		return false, nil
	}
	table := parseInsertHeader(readOnly(j.sql[:min(len(j.sql), 64<<10)]))
	if table == "" || x.refusedTable(table) {
		return false, nil
	}
	if w.charset == "" {
		w.charset = sessionCharset(x.ctx, conn)
	}
	if w.charset == "-" {
		return false, nil
	}
	t, err := x.tableFacts(conn, table)
	if err != nil || t == nil {
		return false, err
	}
	c, data, ok := convertInsert(readOnly(j.sql), j.noBackslash, t, w.charset, w.buf)
	w.buf = data[:0]
	if !ok || c.rows != j.rows {
		x.refuse(table, nil) // its values take forms LOAD DATA would read otherwise
		return false, nil
	}
	if err := x.runLoad(conn, c, data); err != nil {
		if x.ctx.Err() != nil {
			return false, context.Cause(x.ctx)
		}
		x.refuse(table, err)
		return false, errInexact
	}
	w.rows += int64(c.rows)
	return true, nil
}

// readOnly is s's bytes without a copy, for the parsers that only read
// them (an insert's text is copied once already, off the splitter's
// buffer: a second copy of every statement cost 3% of a restore's CPU).
func readOnly(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

func (x *executor) refusedTable(table string) bool {
	x.load.mu.Lock()
	defer x.load.mu.Unlock()
	return x.load.refused[table]
}

// refuse sends table (or, when the server refuses LOCAL INFILE, every
// table) back to INSERTs.
func (x *executor) refuse(table string, err error) {
	var me *mysql.MySQLError
	if errors.As(err, &me) && (me.Number == 1148 || me.Number == 3948 || me.Number == 4166) {
		x.load.on.Store(false)
	}
	x.load.mu.Lock()
	x.load.refused[table] = true
	x.load.mu.Unlock()
}

// sessionCharset is the charset string literals are read in, when the
// client's and the connection's are one of those the converter reads
// byte by byte ("-" otherwise: no LOAD DATA on this session).
func sessionCharset(ctx context.Context, conn *sql.Conn) string {
	var client, connection string
	if err := conn.QueryRowContext(ctx, "SELECT @@character_set_client, @@character_set_connection").Scan(&client, &connection); err != nil || client != connection {
		return "-"
	}
	switch connection {
	case "utf8mb4", "utf8mb3", "utf8", "latin1", "ascii", "binary":
		return connection
	}
	return "-"
}

// tableFacts reads the target table's columns once per DDL epoch.
func (x *executor) tableFacts(conn *sql.Conn, table string) (*loadTable, error) {
	x.load.mu.Lock()
	t, ok := x.load.tables[table]
	x.load.mu.Unlock()
	if ok {
		return t, nil
	}
	// Only a transactional table: a LOAD DATA that was not exact is rolled
	// back and replayed as the INSERTs, which on MyISAM or Aria would keep
	// the rows it did load and add them again.
	var engine sql.NullString
	err := conn.QueryRowContext(x.ctx, "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
		x.opts.Database, table).Scan(&engine)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("restore: engine of %s: %w", quoteName(table), err)
	}
	if !strings.EqualFold(engine.String, "InnoDB") {
		x.load.mu.Lock()
		x.load.tables[table] = nil // leave it to the INSERT
		x.load.mu.Unlock()
		return nil, nil
	}
	rows, err := conn.QueryContext(x.ctx, `SELECT COLUMN_NAME, DATA_TYPE, IFNULL(CHARACTER_SET_NAME, ''), IS_NULLABLE, EXTRA
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, x.opts.Database, table)
	if err != nil {
		return nil, fmt.Errorf("restore: columns of %s: %w", quoteName(table), err)
	}
	defer rows.Close()
	t = &loadTable{byName: map[string]loadCol{}, visible: true}
	for rows.Next() {
		var name, dataType, charset, nullable, extra string
		if err := rows.Scan(&name, &dataType, &charset, &nullable, &extra); err != nil {
			return nil, err
		}
		col := loadCol{name: name, class: classOf(strings.ToLower(dataType)), charset: strings.ToLower(charset), nullable: nullable == "YES"}
		if e := strings.ToUpper(extra); strings.Contains(e, "GENERATED") || strings.Contains(e, "VIRTUAL") ||
			strings.Contains(e, "PERSISTENT") || strings.Contains(e, "STORED") || strings.Contains(e, "INVISIBLE") {
			t.visible = false
			col.class = clOther // never named by a converted load
		}
		t.cols = append(t.cols, col)
		t.byName[strings.ToLower(name)] = col
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(t.cols) == 0 {
		t = nil // not (yet) a table here: leave it to the INSERT
	}
	x.load.mu.Lock()
	x.load.tables[table] = t
	x.load.mu.Unlock()
	return t, nil
}

// runLoad sends data as LOAD DATA LOCAL INFILE and checks that the server
// took every row without a warning.
func (x *executor) runLoad(conn *sql.Conn, c converted, data []byte) error {
	name := "lifeboat_load_" + strconv.FormatInt(loadSeq.Add(1), 10)
	mysql.RegisterReaderHandler(name, func() io.Reader { return bytes.NewReader(data) })
	defer mysql.DeregisterReaderHandler(name)
	cols := make([]string, len(c.cols))
	for i, n := range c.cols {
		cols[i] = quoteName(n)
	}
	// Hex terminators: the same under any NO_BACKSLASH_ESCAPES.
	q := "LOAD DATA LOCAL INFILE 'Reader::" + name + "' INTO TABLE " + quoteName(c.table) +
		" CHARACTER SET binary FIELDS TERMINATED BY 0x09 ENCLOSED BY '' ESCAPED BY 0x5c LINES STARTING BY '' TERMINATED BY 0x0a (" +
		strings.Join(cols, ",") + ")"
	res, err := conn.ExecContext(x.ctx, q)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	var warnings int64
	if err := conn.QueryRowContext(x.ctx, "SELECT @@warning_count").Scan(&warnings); err != nil {
		return err
	}
	if n != int64(c.rows) || warnings != 0 {
		return fmt.Errorf("%w: %d of %d rows, %d warnings", errInexact, n, c.rows, warnings)
	}
	return nil
}
