package restore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/dump"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// infileServer is a server of the test's own with local_infile on (the
// sandbox's lockdown turns it off; a production server has it on by
// default), and a root pool on it.
func infileServer(t *testing.T) (*sandbox.Server, *sql.DB) {
	t.Helper()
	s := testdb.NewServer(t, sandbox.Options{Extra: []string{"--local-infile=1"}})
	db, err := s.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

// tableSums is CHECKSUM TABLE EXTENDED of each named table of schema.
func tableSums(t *testing.T, db *sql.DB, schema string, tables ...string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	for _, tb := range tables {
		var name string
		var sum sql.NullString
		if err := db.QueryRow("CHECKSUM TABLE `"+schema+"`.`"+tb+"` EXTENDED").Scan(&name, &sum); err != nil || !sum.Valid {
			t.Fatalf("CHECKSUM TABLE %s.%s: %v (valid %v)", schema, tb, err, sum.Valid)
		}
		sums[tb] = sum.String
	}
	return sums
}

// classesDump is a dump of one table per tricky value class, each INSERT
// big enough for LOAD DATA, written with the literals dumpers write.
func classesDump(rows int) []byte {
	var b bytes.Buffer
	b.WriteString("/*!40101 SET NAMES utf8mb4 */;\n/*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n")
	b.WriteString("CREATE TABLE nulls (id INT PRIMARY KEY, s VARCHAR(20), n INT, d DATETIME) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	b.WriteString("CREATE TABLE bin (id INT PRIMARY KEY, b VARBINARY(300), bl BLOB, h BLOB, t TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	b.WriteString("CREATE TABLE intro (id INT PRIMARY KEY, l VARCHAR(40) CHARACTER SET latin1, u VARCHAR(40) CHARACTER SET utf8mb4, bb VARBINARY(40)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	b.WriteString("CREATE TABLE zero (id INT PRIMARY KEY, d DATE, dt DATETIME, ts TIMESTAMP NULL, tm TIME) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	b.WriteString("CREATE TABLE bits (id INT PRIMARY KEY, b1 BIT(1), b8 BIT(8), b64 BIT(64), bx BIT(12)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	b.WriteString("CREATE TABLE geo (id INT PRIMARY KEY, p POINT, g GEOMETRY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	b.WriteString("CREATE TABLE nums (id INT PRIMARY KEY, i BIGINT, u BIGINT UNSIGNED, dc DECIMAL(30,10), f FLOAT, g DOUBLE, e ENUM('a','b','c'), st SET('x','y')) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n")
	ins := func(table string, row func(i int) string) {
		fmt.Fprintf(&b, "INSERT INTO `%s` VALUES ", table)
		for i := 1; i <= rows; i++ {
			if i > 1 {
				b.WriteByte(',')
			}
			b.WriteString(row(i))
		}
		b.WriteString(";\n")
	}
	ins("nulls", func(i int) string {
		switch i % 4 {
		case 0:
			return fmt.Sprintf("(%d,NULL,NULL,NULL)", i)
		case 1:
			return fmt.Sprintf("(%d,'NULL',%d,'2026-01-02 03:04:05')", i, -i)
		case 2:
			return fmt.Sprintf("(%d,'\\\\N',0,'2026-12-31 23:59:59')", i) // the two bytes \N, not NULL
		}
		return fmt.Sprintf("(%d,'',NULL,NULL)", i)
	})
	ins("bin", func(i int) string {
		// every byte value, escaped as mariadb-dump does, and as _binary and hex
		var raw strings.Builder
		for c := 0; c < 256; c++ {
			switch v := byte((c + i) % 256); v {
			case 0:
				raw.WriteString(`\0`)
			case '\'':
				raw.WriteString(`\'`)
			case '\\':
				raw.WriteString(`\\`)
			case '\n':
				raw.WriteString(`\n`)
			case '\r':
				raw.WriteString(`\r`)
			case 26:
				raw.WriteString(`\Z`)
			default:
				raw.WriteByte(v)
			}
		}
		return fmt.Sprintf("(%d,'%s',_binary '%s\\t\\b',0x%02x00FF5C0A09,'tab\\there\\nline ''q'' \\\\ \\%% \\_ naïve 🚢 %d')", i, raw.String(), raw.String(), i%256, i)
	})
	ins("intro", func(i int) string {
		// é as the latin1 byte 0xE9 (_latin1 introducer), as utf8mb4, and _binary
		return fmt.Sprintf("(%d,_latin1'caf\xe9 %d',_utf8mb4'caf\xc3\xa9 %d',_binary'\xe9\\0\xff%d')", i, i, i, i)
	})
	ins("zero", func(i int) string {
		if i%2 == 0 {
			return fmt.Sprintf("(%d,'0000-00-00','0000-00-00 00:00:00','0000-00-00 00:00:00','-838:59:59')", i)
		}
		return fmt.Sprintf("(%d,'2026-02-0%d','2026-02-03 04:05:06','2026-02-03 04:05:06','12:34:56')", i, 1+i%9)
	})
	ins("bits", func(i int) string {
		return fmt.Sprintf("(%d,b'%d',b'%08b',0x%016X,b'%b')", i, i%2, i%256, uint64(i)*0x9E3779B97F4A7C15, i%4096)
	})
	ins("geo", func(i int) string {
		// SRID 0, little-endian WKB POINT(i, -i) as mariadb-dump --hex-blob and lifeboat write it
		return fmt.Sprintf("(%d,0x%s,0x%s)", i, wkbPoint(float64(i), -float64(i)), wkbPoint(0.5, float64(i)/3))
	})
	ins("nums", func(i int) string {
		return fmt.Sprintf("(%d,%d,%d,%d.%010d,%g,%s,'%s','%s')", i, -i*1000003, uint64(1)<<63+uint64(i), i, i*7, float32(i)/8,
			[]string{"0.1", "1e-05", "-1.7976931348623157e+308", "123456789012345680000", "4.9e-324"}[i%5], []string{"a", "b", "c"}[i%3], []string{"x", "x,y", "y"}[i%3])
	})
	return b.Bytes()
}

// wkbPoint is the server's geometry bytes of POINT(x y), SRID 0, as hex.
func wkbPoint(x, y float64) string {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0, 0, 1, 1, 0, 0, 0})
	for _, v := range []float64{x, y} {
		var u [8]byte
		bits := math.Float64bits(v)
		for k := 0; k < 8; k++ {
			u[k] = byte(bits >> (8 * k))
		}
		b.Write(u[:])
	}
	return fmt.Sprintf("%X", b.Bytes())
}

var classTables = []string{"nulls", "bin", "intro", "zero", "bits", "geo", "nums"}

// TestLoadDataValueClassesExact (issue 18): every tricky value class (NULL
// against the string "NULL" and the bytes \N, every byte value plain,
// _binary and hex, _latin1 into latin1, the zero dates, BIT from b” and
// 0x, spatial as hex, numbers with exponents, ENUM and SET) loads through
// LOAD DATA, every row of it, with the same CHECKSUM TABLE as the INSERTs.
func TestLoadDataValueClassesExact(t *testing.T) {
	s, db := infileServer(t)
	const rows = 600
	dump := classesDump(rows)
	start := time.Now()
	ins, err := run(t, s, "classes_insert", dump, Options{NoLoadData: true})
	if err != nil {
		t.Fatal(err)
	}
	insTime := time.Since(start)
	start = time.Now()
	ld, err := run(t, s, "classes_load", dump, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ldTime := time.Since(start)
	if ins.LoadDataRows != 0 || ld.Rows != int64(rows*len(classTables)) || ld.LoadDataRows != ld.Rows {
		t.Errorf("rows: INSERT run %d (%d by LOAD DATA), LOAD DATA run %d (%d by LOAD DATA); want every row of the second by LOAD DATA", ins.Rows, ins.LoadDataRows, ld.Rows, ld.LoadDataRows)
	}
	want, got := tableSums(t, db, "classes_insert", classTables...), tableSums(t, db, "classes_load", classTables...)
	for _, tb := range classTables {
		if want[tb] != got[tb] || want[tb] == "0" {
			t.Errorf("table %s: checksum %s by INSERT, %s by LOAD DATA", tb, want[tb], got[tb])
		}
	}
	var nulls, strs, esc, latin int
	q := `SELECT (SELECT COUNT(*) FROM classes_load.nulls WHERE s IS NULL), (SELECT COUNT(*) FROM classes_load.nulls WHERE s = 'NULL'),
		(SELECT COUNT(*) FROM classes_load.nulls WHERE s = '\\N'), (SELECT COUNT(*) FROM classes_load.intro WHERE HEX(l) LIKE '636166E9%')`
	if err := db.QueryRow(q).Scan(&nulls, &strs, &esc, &latin); err != nil {
		t.Fatal(err)
	}
	if nulls != rows/4 || strs != rows/4 || esc != rows/4 || latin != rows {
		t.Errorf("NULLs %d, 'NULL' strings %d, \\N strings %d, latin1 é bytes %d; want %d, %d, %d, %d", nulls, strs, esc, latin, rows/4, rows/4, rows/4, rows)
	}
	t.Logf("%d rows in %d tables: INSERT %v, LOAD DATA %v", ld.Rows, len(classTables), insTime, ldTime)
}

// TestLoadDataFallsBackExactly: what LOAD DATA would load differently
// stays an INSERT (a YEAR column, a number into a string column, NULL into
// NOT NULL), what it would silently accept fails as the INSERT fails (a
// duplicate key, a bad integer), and a server with local_infile off gets
// INSERTs only, with the same rows.
func TestLoadDataFallsBackExactly(t *testing.T) {
	s, db := infileServer(t)
	var b bytes.Buffer
	b.WriteString("CREATE TABLE y (id INT PRIMARY KEY, y YEAR, v VARCHAR(30), n INT NOT NULL DEFAULT 7) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nINSERT INTO y VALUES ")
	for i := 1; i <= 2000; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d,%d,1.5e%d,%d)", i, i%100, i%5, i)
	}
	b.WriteString(";\n")
	res, err := run(t, s, "fallback", b.Bytes(), Options{})
	if err != nil || res.Rows != 2000 || res.LoadDataRows != 0 {
		t.Fatalf("YEAR and numbers into VARCHAR: err %v, rows %d, %d by LOAD DATA; want 2000 by INSERT", err, res.Rows, res.LoadDataRows)
	}
	var v string
	if err := db.QueryRow("SELECT CONCAT(y, '/', v) FROM fallback.y WHERE id = 3").Scan(&v); err != nil || v != "2003/1500" {
		t.Errorf("row 3: %q, %v; want 2003/1500 (YEAR 3 is 2003, 1.5e3 as a number is 1500)", v, err)
	}

	for name, bad := range map[string]string{"duplicate": "(5,'x')", "integer": "('zz','x')"} {
		var d bytes.Buffer
		d.WriteString("CREATE TABLE k (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nINSERT INTO k VALUES ")
		for i := 1; i <= 2000; i++ {
			fmt.Fprintf(&d, "(%d,'row %d'),", i, i)
		}
		d.WriteString(bad + ";\n")
		_, err := run(t, s, "fallback_"+name, d.Bytes(), Options{})
		if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), map[string]string{"duplicate": "Duplicate entry", "integer": "Incorrect integer value"}[name]) {
			t.Errorf("%s: err %v; want the INSERT's own error at line 2", name, err)
		}
	}

	// The gate still refuses a LOAD DATA in the file, even one that names
	// the loader's own readers, on a server that allows LOCAL INFILE.
	for _, q := range []string{"LOAD DATA LOCAL INFILE 'Reader::lifeboat_load_1' INTO TABLE k", "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE k"} {
		file := "CREATE TABLE k (v TEXT) ENGINE=InnoDB;\n" + q + ";\n"
		target := fmt.Sprintf("gate_load_%d", len(q))
		if _, err := run(t, s, target, []byte(file), Options{}); err == nil || !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: err %v; want it refused", q, err)
		}
		var n sql.NullInt64
		db.QueryRow("SELECT COUNT(*) FROM " + target + ".k").Scan(&n)
		if n.Int64 != 0 {
			t.Errorf("%s: %d rows loaded", q, n.Int64)
		}
	}

	// The package's shared server keeps the sandbox's local_infile=0.
	off := testdb.New(t)
	res, err = run(t, off.Server, off.Name, classesDump(100), Options{})
	if err != nil || res.Rows != int64(100*len(classTables)) || res.LoadDataRows != 0 {
		t.Fatalf("local_infile off: err %v, rows %d, %d by LOAD DATA; want every row by INSERT", err, res.Rows, res.LoadDataRows)
	}
	ref, err := run(t, s, "classes_ref", classesDump(100), Options{})
	if err != nil || ref.LoadDataRows == 0 {
		t.Fatalf("reference load: err %v, %d by LOAD DATA", err, ref.LoadDataRows)
	}
	want, got := tableSums(t, db, "classes_ref", classTables...), tableSums(t, off.DB, off.Name, classTables...)
	for _, tb := range classTables {
		if want[tb] != got[tb] {
			t.Errorf("table %s: checksum %s by LOAD DATA, %s by INSERT on the local_infile=0 server", tb, want[tb], got[tb])
		}
	}
	var on int
	if err := off.DB.QueryRowContext(context.Background(), "SELECT @@GLOBAL.local_infile").Scan(&on); err != nil || on != 0 {
		t.Errorf("local_infile on the shared server: %d, %v; the restore must never turn it on", on, err)
	}
}

// TestLoadDataTortureRoundTrip: the torture schema dumped by mariadb-dump
// and by lifeboat's dumper restores with the same fingerprint (every
// table's CHECKSUM TABLE, every view, routine, trigger, event) with LOAD
// DATA on as with INSERTs only, and LOAD DATA did load rows.
func TestLoadDataTortureRoundTrip(t *testing.T) {
	d := testdb.New(t)
	torture(t, d)
	want := fingerprint(t, d.DB, d.Name)
	var own bytes.Buffer
	if _, err := dump.Run(context.Background(), dump.Options{MySQL: d.Server.Config(d.Name), Database: d.Name, Parallel: 2, ToolVersion: "test"}, &own, nil); err != nil {
		t.Fatal(err)
	}
	s, db := infileServer(t)
	for name, file := range map[string][]byte{"mariadb-dump": mariadbDump(t, d.Server, d.Name), "lifeboat": own.Bytes()} {
		for _, off := range []bool{true, false} {
			target := fmt.Sprintf("%s_%d", d.Name, len(name))
			if off {
				target += "_ins"
			}
			res, err := run(t, s, target, file, Options{NoLoadData: off})
			if err != nil {
				t.Fatalf("%s (LOAD DATA off %v): %v", name, off, err)
			}
			if off != (res.LoadDataRows == 0) {
				t.Errorf("%s (LOAD DATA off %v): %d of %d rows by LOAD DATA", name, off, res.LoadDataRows, res.Rows)
			}
			t.Logf("%s: LOAD DATA off %v: %d of %d rows by LOAD DATA", name, off, res.LoadDataRows, res.Rows)
			compare(t, want, fingerprint(t, db, target))
		}
	}
}

// A MyISAM or Aria table never goes by LOAD DATA: a load that was not
// exact is undone by a rollback, which those engines do not have, so its
// rows would come twice. Its INSERTs load it, every row once.
func TestLoadDataOnlyIntoTransactionalTables(t *testing.T) {
	s, db := infileServer(t)
	for _, engine := range []string{"MyISAM", "Aria"} {
		var b bytes.Buffer
		fmt.Fprintf(&b, "CREATE TABLE m (id INT, v VARCHAR(30)) ENGINE=%s DEFAULT CHARSET=utf8mb4;\nINSERT INTO m VALUES ", engine)
		for i := 1; i <= 3000; i++ {
			if i > 1 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "(%d,'row %d')", i, i)
		}
		b.WriteString(";\n")
		target := "nontx_" + strings.ToLower(engine)
		res, err := run(t, s, target, b.Bytes(), Options{})
		if err != nil || res.Rows != 3000 || res.LoadDataRows != 0 {
			t.Fatalf("%s: err %v, rows %d, %d by LOAD DATA; want 3000 by INSERT", engine, err, res.Rows, res.LoadDataRows)
		}
		var n, distinct int
		if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT id) FROM "+target+".m").Scan(&n, &distinct); err != nil || n != 3000 || distinct != 3000 {
			t.Fatalf("%s: %d rows, %d distinct (%v), want 3000 once each", engine, n, distinct, err)
		}
	}
}
