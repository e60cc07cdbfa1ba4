package demo

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// loader is the sink that turns rows into large multi-row INSERTs. Values
// are written as literals (the session runs without NO_BACKSLASH_ESCAPES,
// which Seed sets), so no placeholder limit or driver setting applies.
type loader struct {
	ctx   context.Context
	tx    *sql.Tx
	limit int // flush a table's statement once it is this many bytes
	bufs  map[string]*tableBuf
	rows  map[string]int64
}

type tableBuf struct {
	head string
	buf  []byte
	n    int
}

func newLoader(ctx context.Context, tx *sql.Tx, limit int) *loader {
	return &loader{ctx: ctx, tx: tx, limit: limit, bufs: map[string]*tableBuf{}, rows: map[string]int64{}}
}

func (l *loader) row(table string, vals ...any) error {
	cols := columns[table]
	if len(vals) != len(cols) {
		return fmt.Errorf("demo: table %s: %d values for %d columns (a bug in the generator)", table, len(vals), len(cols))
	}
	b := l.bufs[table]
	if b == nil {
		b = &tableBuf{head: "INSERT INTO `" + table + "` (`" + strings.Join(cols, "`,`") + "`) VALUES "}
		l.bufs[table] = b
	}
	if b.n == 0 {
		b.buf = append(b.buf[:0], b.head...)
	} else {
		b.buf = append(b.buf, ',')
	}
	b.buf = append(b.buf, '(')
	for i, v := range vals {
		if i > 0 {
			b.buf = append(b.buf, ',')
		}
		var err error
		if b.buf, err = appendValue(b.buf, v); err != nil {
			return fmt.Errorf("demo: table %s column %s: %w", table, cols[i], err)
		}
	}
	b.buf = append(b.buf, ')')
	b.n++
	l.rows[table]++
	if len(b.buf) >= l.limit {
		return l.flush(table)
	}
	return nil
}

func (l *loader) flush(table string) error {
	b := l.bufs[table]
	if b == nil || b.n == 0 {
		return nil
	}
	if _, err := l.tx.ExecContext(l.ctx, string(b.buf)); err != nil {
		return fmt.Errorf("demo: insert %d rows into %s: %w", b.n, table, err)
	}
	b.n = 0
	return nil
}

// flushAll sends what is left, parents first.
func (l *loader) flushAll() error {
	for _, t := range Tables() {
		if err := l.flush(t); err != nil {
			return err
		}
	}
	return nil
}

// appendValue writes v as a SQL literal.
func appendValue(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, "NULL"...), nil
	case int64:
		return strconv.AppendInt(buf, v, 10), nil
	case dec:
		return append(buf, v...), nil
	case string:
		return appendQuoted(buf, v), nil
	case []byte:
		if len(v) == 0 {
			return append(buf, "''"...), nil
		}
		buf = append(buf, "X'"...)
		buf = hex.AppendEncode(buf, v)
		return append(buf, '\''), nil
	default:
		return buf, fmt.Errorf("unsupported value type %T", v)
	}
}

// appendQuoted writes s as a quoted string with backslash escapes. Every
// byte it escapes is ASCII, which never occurs inside a multi-byte UTF-8
// character, so utf8mb4 text passes through unchanged.
func appendQuoted(buf []byte, s string) []byte {
	buf = append(buf, '\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			buf = append(buf, '\\', '0')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case 0x1a:
			buf = append(buf, '\\', 'Z')
		case '\\', '\'', '"':
			buf = append(buf, '\\', c)
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '\'')
}
