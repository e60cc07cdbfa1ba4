package binlog

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Kinds of transaction.
const (
	KindInsert = "INSERT"
	KindUpdate = "UPDATE"
	KindDelete = "DELETE"
	KindDDL    = "DDL"
	KindOther  = "OTHER" // a transaction with no row change lifeboat recognises
)

// Transaction is one transaction (or DDL statement) of a binary log.
type Transaction struct {
	Time      time.Time // its commit event's time (seconds, UTC)
	GTID      string
	File      string // base name of the log file
	Position  uint64 // of its GTID event: --until-position stops here
	End       uint64 // end_log_pos of its last event
	Database  string
	Tables    []string // "db.table"... in first-seen order
	Kind      string
	Rows      int    // rows changed (row events); 0 for statements
	Statement string // the statement, for DDL and statement-based DML
	// Statements are the query texts a statement-format transaction runs,
	// with the default database each ran in: replay checks them.
	Statements []Query
}

// Query is one statement of the log with its default database.
type Query struct {
	Database string
	SQL      string
}

// ReadFile lists the transactions of one local log file, in log order.
func ReadFile(ctx context.Context, path string, fn func(Transaction) error) error {
	_, err := readFile(ctx, path, fn)
	return err
}

// span is the time of a file's first and last event.
type span struct{ first, last time.Time }

func readFile(ctx context.Context, path string, fn func(Transaction) error) (span, error) {
	tool, err := Tool()
	if err != nil {
		return span{}, err
	}
	cmd := exec.CommandContext(ctx, tool, "--no-defaults", "--base64-output=decode-rows", "--force-if-open", path)
	cmd.Env = utcEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return span{}, err
	}
	if err := cmd.Start(); err != nil {
		return span{}, fmt.Errorf("%s: %w", tool, err)
	}
	p, perr := parse(out, filepath.Base(path), fn)
	if perr != nil {
		io.Copy(io.Discard, out)
	}
	werr := cmd.Wait()
	if perr != nil {
		return span{}, perr
	}
	if werr != nil {
		return span{}, fmt.Errorf("binlog %s: %s: %v: %s", filepath.Base(path), filepath.Base(tool), werr, strings.TrimSpace(stderr.String()))
	}
	return span{p.first, p.last}, nil
}

// parser is the state of Parse between lines.
type parser struct {
	file    string
	at      uint64 // the last "# at N"
	cur     *Transaction
	inQuery bool // reading a Query event's statement lines
	useDB   string
	query   strings.Builder
	evtEnd  uint64
	evtTime time.Time
	first   time.Time // of the file's first and last event
	last    time.Time
	emit    func(Transaction) error
}

// Parse reads mariadb-binlog's text output (decode-rows, no -v) of one file.
func Parse(r io.Reader, file string, fn func(Transaction) error) error {
	_, err := parse(r, file, fn)
	return err
}

func parse(r io.Reader, file string, fn func(Transaction) error) (*parser, error) {
	p := &parser{file: file, emit: fn}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	for sc.Scan() {
		if err := p.line(sc.Bytes()); err != nil {
			return p, err
		}
	}
	if err := sc.Err(); err != nil {
		return p, fmt.Errorf("binlog %s: %w", file, err)
	}
	return p, nil // an unfinished transaction at the end of an open file is not listed
}

func (p *parser) line(l []byte) error {
	if p.inQuery {
		if bytes.HasSuffix(l, []byte("/*!*/;")) && !bytes.HasPrefix(l, []byte("SET ")) && !bytes.HasPrefix(l, []byte("use ")) && !bytes.HasPrefix(l, []byte("/*!\\C")) {
			head := bytes.TrimSuffix(l, []byte("/*!*/;"))
			p.query.Write(head)
			return p.endQuery()
		}
		switch {
		case bytes.HasPrefix(l, []byte("use `")):
			p.useDB = unquoteUse(string(l))
		case bytes.HasPrefix(l, []byte("SET ")) && bytes.HasSuffix(l, []byte("/*!*/;")),
			bytes.HasPrefix(l, []byte("/*!\\C")):
		default:
			if p.query.Len() > 0 {
				p.query.WriteByte('\n')
			}
			p.query.Write(l)
		}
		return nil
	}
	if len(l) == 0 || l[0] != '#' {
		if p.cur != nil && (bytes.Equal(l, []byte("COMMIT/*!*/;"))) {
			return p.finish()
		}
		return nil
	}
	if bytes.HasPrefix(l, []byte("# at ")) {
		p.at, _ = strconv.ParseUint(string(l[5:]), 10, 64)
		return nil
	}
	if bytes.HasPrefix(l, []byte("# Number of rows: ")) {
		if p.cur != nil {
			n, _ := strconv.Atoi(strings.TrimSpace(string(l[18:])))
			p.cur.Rows += n
		}
		return nil
	}
	if len(l) < 17 || l[1] < '0' || l[1] > '9' {
		return nil
	}
	return p.header(l)
}

// header handles "#YYMMDD HH:MM:SS server id N  end_log_pos E ...\tType...".
func (p *parser) header(l []byte) error {
	t, err := time.ParseInLocation("060102 15:04:05", strings.TrimSpace(string(l[1:16])), time.UTC)
	if err != nil {
		return nil
	}
	s := string(l)
	if i := strings.Index(s, "end_log_pos "); i >= 0 {
		rest := s[i+12:]
		if j := strings.IndexAny(rest, " \t"); j > 0 {
			p.evtEnd, _ = strconv.ParseUint(rest[:j], 10, 64)
		}
	}
	p.evtTime = t
	if p.first.IsZero() {
		p.first = t
	}
	p.last = t
	tab := strings.IndexByte(s, '\t')
	if tab < 0 {
		return nil
	}
	typ := s[tab+1:]
	switch {
	case strings.HasPrefix(typ, "GTID "):
		if p.cur != nil { // a DDL without its own terminator, or an unfinished one
			if err := p.finish(); err != nil {
				return err
			}
		}
		f := strings.Fields(typ)
		p.cur = &Transaction{GTID: f[1], File: p.file, Position: p.at, Time: t}
		if len(f) > 2 && f[2] == "ddl" {
			p.cur.Kind = KindDDL
		}
	case strings.HasPrefix(typ, "Table_map: "):
		if p.cur != nil {
			name := strings.TrimPrefix(typ, "Table_map: ")
			if k := strings.Index(name, " mapped to"); k > 0 {
				name = name[:k]
			}
			db, tb := splitQualified(name)
			if p.cur.Database == "" || len(p.cur.Tables) == 0 {
				p.cur.Database = db
			}
			p.cur.addTable(db + "." + tb)
		}
	case strings.HasPrefix(typ, "Write_rows"):
		p.kind(KindInsert)
	case strings.HasPrefix(typ, "Update_rows"):
		p.kind(KindUpdate)
	case strings.HasPrefix(typ, "Delete_rows"):
		p.kind(KindDelete)
	case strings.HasPrefix(typ, "Query"):
		p.inQuery = true
		p.query.Reset()
	case strings.HasPrefix(typ, "Xid = "):
		if p.cur != nil {
			p.cur.End, p.cur.Time = p.evtEnd, t
		}
	}
	return nil
}

func (p *parser) kind(k string) {
	if p.cur == nil {
		return
	}
	if p.cur.Kind == "" || p.cur.Kind == KindOther {
		p.cur.Kind = k
	}
}

// endQuery closes a Query event: BEGIN/COMMIT frame a transaction, others
// are statements (DDL, or statement-based DML).
func (p *parser) endQuery() error {
	p.inQuery = false
	q := strings.TrimSpace(p.query.String())
	if p.cur == nil {
		return nil
	}
	p.cur.End, p.cur.Time = p.evtEnd, p.evtTime
	switch strings.ToUpper(q) {
	case "BEGIN", "START TRANSACTION":
		return nil
	case "COMMIT":
		return p.finish()
	}
	if p.cur.Database == "" {
		p.cur.Database = p.useDB
	}
	p.cur.Statements = append(p.cur.Statements, Query{Database: p.useDB, SQL: q})
	if p.cur.Statement == "" {
		p.cur.Statement = q
	}
	if p.cur.Kind == "" {
		p.cur.Kind = statementKind(q)
	}
	if p.cur.Kind == KindDDL {
		return p.finish()
	}
	return nil
}

func (p *parser) finish() error {
	t := p.cur
	p.cur = nil
	if t.Kind == "" {
		t.Kind = KindOther
	}
	if t.Kind != KindDDL && len(t.Tables) > 0 {
		t.Statement = ""
	}
	if t.End == 0 {
		t.End = p.evtEnd
	}
	return p.emit(*t)
}

func (t *Transaction) addTable(name string) {
	for _, n := range t.Tables {
		if n == name {
			return
		}
	}
	t.Tables = append(t.Tables, name)
}

// statementKind is the kind of a statement-format DML or DDL.
func statementKind(q string) string {
	w := strings.ToUpper(strings.Fields(q + " x")[0])
	switch w {
	case "INSERT", "REPLACE":
		return KindInsert
	case "UPDATE":
		return KindUpdate
	case "DELETE":
		return KindDelete
	case "CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE":
		return KindDDL
	}
	return KindOther
}

func unquoteUse(l string) string {
	s := strings.TrimPrefix(l, "use ")
	s = strings.TrimSuffix(s, "/*!*/;")
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '`' {
		s = strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}

// splitQualified splits "`db`.`table`".
func splitQualified(s string) (db, table string) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "`.`"); i > 0 && len(s) > 2 {
		return strings.ReplaceAll(s[1:i], "``", "`"), strings.ReplaceAll(s[i+3:len(s)-1], "``", "`")
	}
	return "", s
}
