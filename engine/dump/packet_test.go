package dump

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTrust01BigValueWrittenInPieces (issue 11 item 1): with the server's
// max_allowed_packet at 64M, a 60 MiB LONGBLOB of zero bytes used to become
// one 126 MB INSERT that no server accepts. Now no statement is bigger than
// min(server, 16 MiB) less the margin, the row is written in pieces, and
// both the stock client and lifeboat's restore bring every value back.
func TestTrust01BigValueWrittenInPieces(t *testing.T) {
	d := testdb.New(t)
	setGlobalPacket(t, d, 64<<20)
	d.MustExec(t,
		"CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB, note VARCHAR(20)) ENGINE=InnoDB",
		"INSERT INTO big VALUES (1, REPEAT(CHAR(0), 60*1024*1024), 'zeros'), (2, 'small', 'small')",
		"INSERT INTO big VALUES (3, REPEAT(RANDOM_BYTES(1024), 20*1024), 'random')",
		// No primary key: the UPDATEs name the row by its NOT NULL unique
		// key; ts must keep its value (ON UPDATE), the JSON its CHECK.
		"CREATE TABLE doc (id INT NOT NULL, k VARCHAR(20) NOT NULL, txt LONGTEXT CHARACTER SET utf8mb4, j JSON, "+
			"ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, UNIQUE KEY (k, id)) ENGINE=InnoDB",
		"INSERT INTO doc VALUES (7, 'seven', REPEAT('aé€😀''\\\\\"\\n', 1400000), CONCAT('[', REPEAT('\"ü\",', 3500000), '1]'), '2001-02-03 04:05:06')",
		"INSERT INTO doc VALUES (8, 'eight', 'short', '[]', '2001-02-03 04:05:06')",
	)
	want := valueSums(t, d, d.Name)
	path := filepath.Join(t.TempDir(), "dump.sql")
	res := dumpFile(t, d, Options{}, path)

	if res.MaxAllowedPacket != 64<<20 {
		t.Errorf("MaxAllowedPacket = %d, want %d", res.MaxAllowedPacket, 64<<20)
	}
	if res.LargestValue != 60<<20 {
		t.Errorf("LargestValue = %d, want %d (the 60 MiB blob)", res.LargestValue, 60<<20)
	}
	limit := int64(portablePacket - packetMargin)
	largest, updates := measure(t, path)
	if largest > limit || res.LargestStatement != largest {
		t.Errorf("largest statement %d bytes (result says %d); the limit is %d", largest, res.LargestStatement, limit)
	}
	if updates < 7+1+1+1 { // 120 MiB escaped, 20 MiB random, ~25 MiB text and JSON
		t.Errorf("only %d UPDATE statements: the big values were not written in pieces", updates)
	}

	// lifeboat's restore: INSERTs on parallel workers, each UPDATE after
	// its row's INSERT has committed, else the values come back short.
	target := d.Name + "_lb"
	t.Cleanup(func() { d.Exec("DROP DATABASE IF EXISTS `" + target + "`") })
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tr := progress.Start("restore", nil, 0)
	_, err = restore.Run(context.Background(), restore.Options{Config: d.Server.Config(""), Database: target, Parallel: 4}, f, tr)
	tr.Finish()
	f.Close()
	if err != nil {
		t.Fatalf("lifeboat restore: %v", err)
	}
	compareSums(t, "lifeboat restore", want, valueSums(t, d, target))

	// The stock client, into the database the file names.
	d.MustExec(t, "DROP DATABASE `"+d.Name+"`")
	f, err = os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	testdb.LoadSQL(t, d.Server, "", f)
	compareSums(t, "stock client", want, valueSums(t, d, d.Name))
}

// TestTrust01PiecesCutOnCharacterBoundaries: with a small statement cap,
// long values in multi-byte charsets are cut only between characters
// (the restore would otherwise store broken characters or refuse them).
func TestTrust01PiecesCutOnCharacterBoundaries(t *testing.T) {
	d := testdb.New(t)
	cols := map[string]string{
		"u8": "utf8mb4", "u16": "utf16", "u16le": "utf16le", "u32": "utf32", "ucs": "ucs2",
		"sj": "sjis", "cp": "cp932", "uj": "ujis", "eu": "euckr", "gb": "gbk", "b5": "big5", "l1": "latin1",
	}
	text := map[string]string{
		"u8": "aé€😀'\\", "u16": "a😀é€", "u16le": "a😀é€", "u32": "a😀é", "ucs": "aé€",
		"sj": "日本ｶﾀaﾅ語", "cp": "日本ｶﾀaﾅ語", "uj": "日本ｶﾀaﾅ語", "eu": "한국a어", "gb": "中文a字", "b5": "中文a字", "l1": "aéü'",
	}
	var defs, vals []string
	for _, c := range sortedKeys(cols) {
		defs = append(defs, "`"+c+"` MEDIUMTEXT CHARACTER SET "+cols[c])
		vals = append(vals, "REPEAT(CONVERT('"+strings.NewReplacer("\\", "\\\\", "'", "''").Replace(text[c])+"' USING "+cols[c]+"), 5001)")
	}
	d.MustExec(t,
		"CREATE TABLE cs (id INT PRIMARY KEY, "+strings.Join(defs, ", ")+")",
		"INSERT INTO cs VALUES (1, "+strings.Join(vals, ", ")+")",
		"INSERT INTO cs (id, u8) VALUES (2, 'plain')",
	)
	want := valueSums(t, d, d.Name)
	path := filepath.Join(t.TempDir(), "dump.sql")
	res := dumpFile(t, d, Options{MaxStatement: 4096}, path)
	largest, updates := measure(t, path)
	if largest > 4096 || res.LargestStatement != largest {
		t.Errorf("largest statement %d bytes (result says %d); the cap is 4096", largest, res.LargestStatement)
	}
	if updates < 12*5 {
		t.Errorf("only %d UPDATE statements for 12 long values", updates)
	}
	d.MustExec(t, "DROP DATABASE `"+d.Name+"`")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	testdb.LoadSQL(t, d.Server, "", f)
	compareSums(t, "stock client", want, valueSums(t, d, d.Name))
}

// TestTrust01RestoreRunsPiecesAfterTheirInsert: lifeboat's restore sends
// INSERTs to parallel workers; every UPDATE of a row written in pieces must
// run after that row's INSERT has committed, in file order. Hundreds of
// rows in pieces between small batches: one UPDATE run early would match
// no row, or append out of order, and change a checksum.
func TestTrust01RestoreRunsPiecesAfterTheirInsert(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE p (id INT PRIMARY KEY, v MEDIUMTEXT, w VARCHAR(10), KEY (w))",
		"INSERT INTO p SELECT seq, IF(seq % 3 = 0, REPEAT(CONCAT('row ', seq, ' ü '), 2000), 'small'), seq % 7 FROM seq_1_to_600",
	)
	want := valueSums(t, d, d.Name)
	path := filepath.Join(t.TempDir(), "dump.sql")
	dumpFile(t, d, Options{MaxStatement: 8192, ChunkRows: 100}, path)
	if _, updates := measure(t, path); updates < 200*2 {
		t.Fatalf("only %d UPDATE statements", updates)
	}
	target := d.Name + "_lb"
	t.Cleanup(func() { d.Exec("DROP DATABASE IF EXISTS `" + target + "`") })
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := progress.Start("restore", nil, 0)
	defer tr.Finish()
	if _, err := restore.Run(context.Background(), restore.Options{Config: d.Server.Config(""), Database: target, Parallel: 4}, f, tr); err != nil {
		t.Fatalf("lifeboat restore: %v", err)
	}
	compareSums(t, "lifeboat restore", want, valueSums(t, d, target))
}

// TestTrust01RowWithoutKey: a row too big for the cap in a table without a
// usable key is written whole when the server takes it (and the result
// says what the target needs); when not even the server takes it, the
// backup fails naming the table, the column, the size and the setting.
func TestTrust01RowWithoutKey(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE nokey (a INT, b MEDIUMBLOB)",
		"INSERT INTO nokey VALUES (1, REPEAT(CHAR(0), 300000))",
	)
	var buf bytes.Buffer
	res, err := Run(context.Background(), Options{MySQL: d.Server.Config(d.Name), Database: d.Name, ToolVersion: "test", MaxStatement: 64 << 10}, &buf, nil)
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	if res.LargestStatement < 600000 || !strings.Contains(strings.Join(res.Notes, "\n"), "`nokey`") {
		t.Errorf("largest statement %d, notes %q: want the row whole and a note", res.LargestStatement, res.Notes)
	}

	setGlobalPacket(t, d, 512<<10)
	_, err = Run(context.Background(), Options{MySQL: d.Server.Config(d.Name), Database: d.Name, ToolVersion: "test"}, io.Discard, nil)
	if err == nil {
		t.Fatal("a row that no statement can hold was dumped without an error")
	}
	for _, w := range []string{"`nokey`", "`b`", "300000 bytes", "max_allowed_packet", "primary key", "no backup was written"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not say %q: %v", w, err)
		}
	}
}

func setGlobalPacket(t *testing.T, d *testdb.DB, n int64) {
	t.Helper()
	var old int64
	if err := d.QueryRow("SELECT @@GLOBAL.max_allowed_packet").Scan(&old); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec("SET GLOBAL max_allowed_packet = ?", n); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Exec("SET GLOBAL max_allowed_packet = ?", old) })
	d.SetMaxIdleConns(0) // new connections see the new value
}

func dumpFile(t *testing.T, d *testdb.DB, opts Options, path string) Result {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.MySQL, opts.Database, opts.ToolVersion, opts.Parallel = d.Server.Config(d.Name), d.Name, "test", 2
	if opts.ChunkRows == 0 {
		opts.ChunkRows = 1000
	}
	res, err := Run(context.Background(), opts, f, nil)
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	return res
}

// measure splits the file as a restore does: the largest statement and
// the number of UPDATEs.
func measure(t *testing.T, path string) (largest int64, updates int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sp := sqlsplit.New(f)
	for {
		st, err := sp.Next()
		if errors.Is(err, io.EOF) {
			return largest, updates
		}
		if err != nil {
			t.Fatal(err)
		}
		largest = max(largest, int64(len(st.SQL)))
		if bytes.HasPrefix(st.SQL, []byte("UPDATE ")) {
			updates++
		}
	}
}

// valueSums is SHA2 and LENGTH of every column of every row, plus
// CHECKSUM TABLE, per table of db.
func valueSums(t *testing.T, d *testdb.DB, db string) map[string]string {
	t.Helper()
	out := map[string]string{}
	tables, err := names0(d, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db)
	if err != nil || len(tables) == 0 {
		t.Fatalf("tables of %s: %v %v", db, tables, err)
	}
	for _, tn := range tables {
		full := "`" + db + "`.`" + tn + "`"
		var x, sum string
		if err := d.QueryRow("CHECKSUM TABLE "+full+" EXTENDED").Scan(&x, &sum); err != nil {
			t.Fatal(err)
		}
		out[tn+" checksum"] = sum
		cols, err := names0(d, "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", db, tn)
		if err != nil {
			t.Fatal(err)
		}
		var exprs []string
		for _, c := range cols {
			exprs = append(exprs, "CONCAT_WS(':', LENGTH(`"+c+"`), SHA2(CAST(`"+c+"` AS BINARY), 256))")
		}
		rows, err := names0(d, "SELECT CONCAT_WS('|', "+strings.Join(exprs, ", ")+") FROM "+full+" ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		out[tn+" rows"] = strings.Join(rows, "\n")
	}
	return out
}

func names0(d *testdb.DB, q string, args ...any) ([]string, error) {
	rows, err := d.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func compareSums(t *testing.T, who string, want, got map[string]string) {
	t.Helper()
	for _, k := range sortedKeys(want) {
		if got[k] != want[k] {
			t.Errorf("%s: %s differs:\nsource:   %.400s\nrestored: %.400s", who, k, want[k], got[k])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d entries, want %d", who, len(got), len(want))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
