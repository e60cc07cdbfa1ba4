package restore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestLoadDataMeasuredAgainstInsert (issue 18 item 4, a measurement, not
// yet the loader): the same rows (NULL and the string "NULL", binary
// bytes with tabs, newlines and backslashes, a zero date, BIT) loaded by
// multi-row INSERTs and by LOAD DATA LOCAL INFILE fed through
// mysql.RegisterReaderHandler give the same CHECKSUM TABLE; the times are
// logged. The sandbox runs with local_infile off, so this test's own
// server turns it on.
func TestLoadDataMeasuredAgainstInsert(t *testing.T) {
	srv := testdb.NewServer(t, sandbox.Options{})
	cfg := srv.Config("")
	cfg.Params = map[string]string{"sql_mode": "''"} // the zero date, as a dump's session allows it
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := sql.OpenDB(conn)
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"SET GLOBAL local_infile = 1", "CREATE DATABASE m",
		"CREATE TABLE m.ins (id INT PRIMARY KEY, s VARCHAR(40), b VARBINARY(16), d DATE, bits BIT(8), n INT)",
		"CREATE TABLE m.ld LIKE m.ins"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	const rows = 200000
	var ins, tsv bytes.Buffer
	flush := func() {
		if ins.Len() == 0 {
			return
		}
		if _, err := db.ExecContext(ctx, ins.String()); err != nil {
			t.Fatal(err)
		}
		ins.Reset()
	}
	row := func(i int) (s string, b []byte, d string, bits byte, n any) {
		s = fmt.Sprintf("row %d", i)
		if i%7 == 0 {
			s = "NULL" // the string, not NULL
		}
		b = []byte{byte(i), '\t', '\n', '\\', 0, byte(i >> 8)}
		d = "2026-01-02"
		if i%11 == 0 {
			d = "0000-00-00"
		}
		if i%5 != 0 {
			n = i
		}
		return s, b, d, byte(i), n
	}
	start := time.Now()
	if _, err := db.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= rows; i++ {
		s, b, d, bits, n := row(i)
		if ins.Len() == 0 {
			ins.WriteString("INSERT INTO m.ins VALUES ")
		} else {
			ins.WriteByte(',')
		}
		nv := "NULL"
		if n != nil {
			nv = fmt.Sprint(n)
		}
		fmt.Fprintf(&ins, "(%d,'%s',0x%x,'%s',b'%08b',%s)", i, s, b, d, bits, nv)
		if ins.Len() > 1<<20 {
			flush()
		}
	}
	flush()
	if _, err := db.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	insTime := time.Since(start)

	start = time.Now()
	for i := 1; i <= rows; i++ {
		s, b, d, bits, n := row(i)
		fmt.Fprintf(&tsv, "%d\t%s\t", i, s)
		tsv.Write(escapeTSV(b))
		fmt.Fprintf(&tsv, "\t%s\t%s\t", d, escapeTSV([]byte{bits}))
		if n == nil {
			tsv.WriteString(`\N`)
		} else {
			fmt.Fprint(&tsv, n)
		}
		tsv.WriteByte('\n')
	}
	mysql.RegisterReaderHandler("lifeboat_measure", func() io.Reader { return bytes.NewReader(tsv.Bytes()) })
	defer mysql.DeregisterReaderHandler("lifeboat_measure")
	if _, err := db.ExecContext(ctx, `LOAD DATA LOCAL INFILE 'Reader::lifeboat_measure' INTO TABLE m.ld CHARACTER SET binary
		FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n' (id, s, b, d, @bits, n) SET bits = @bits`); err != nil {
		t.Fatal(err)
	}
	ldTime := time.Since(start)
	var a, b, x string
	if err := db.QueryRowContext(ctx, "CHECKSUM TABLE m.ins EXTENDED").Scan(&x, &a); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRowContext(ctx, "CHECKSUM TABLE m.ld EXTENDED").Scan(&x, &b); err != nil {
		t.Fatal(err)
	}
	var nulls, strs int
	if err := db.QueryRowContext(ctx, "SELECT SUM(n IS NULL), SUM(s = 'NULL') FROM m.ld").Scan(&nulls, &strs); err != nil {
		t.Fatal(err)
	}
	if a != b || a == "" || nulls != rows/5 || strs != rows/7 {
		t.Fatalf("checksums %s (INSERT) and %s (LOAD DATA), %d NULLs and %d 'NULL' strings: the two paths do not load the same values", a, b, nulls, strs)
	}
	t.Logf("%d rows: multi-row INSERT %v, LOAD DATA LOCAL INFILE %v (%.2f×)", rows, insTime, ldTime, ldTime.Seconds()/insTime.Seconds())
}

// escapeTSV escapes bytes for LOAD DATA's default ESCAPED BY '\\'.
func escapeTSV(b []byte) []byte {
	out := make([]byte, 0, len(b)+4)
	for _, c := range b {
		switch c {
		case '\\', '\t', '\n':
			out = append(out, '\\', c)
		case 0:
			out = append(out, '\\', '0')
		default:
			out = append(out, c)
		}
	}
	return out
}
