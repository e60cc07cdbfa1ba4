package restore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// torture creates tables of many types (FLOAT values are exact in binary:
// a dump prints FLOAT with 6 digits, which the stock client loses too), a foreign key, a view, a
// procedure, a function, a trigger that writes to another table, an event
// and a sequence.
func torture(t *testing.T, d *testdb.DB) {
	d.MustExec(t,
		`CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, UNIQUE KEY (name)) ENGINE=InnoDB`,
		`CREATE TABLE kinds (
			id BIGINT UNSIGNED PRIMARY KEY, parent_id INT, d DECIMAL(20,6), f FLOAT, g DOUBLE,
			s VARCHAR(100) CHARACTER SET utf8mb4, txt TEXT, b BLOB, dt DATETIME(6), ts TIMESTAMP NULL, tm TIME, y YEAR,
			bits BIT(8), e ENUM('a','b','c'), st SET('x','y'), j JSON, pt POINT NULL,
			KEY (parent_id), KEY (s), FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB`,
		`CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, kind_id BIGINT UNSIGNED, note VARCHAR(20))`,
		`CREATE TABLE myisam_t (k INT PRIMARY KEY, v VARCHAR(10)) ENGINE=MyISAM`,
		`CREATE TRIGGER kinds_ai AFTER INSERT ON kinds FOR EACH ROW BEGIN INSERT INTO audit (kind_id, note) VALUES (NEW.id, 'ins;'); END`,
		`INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_50`,
		`INSERT INTO kinds SELECT seq, 1 + seq % 50, seq * 1.000001 - 500, seq / 8, seq / 3, CONCAT('naïve 🚢 ', seq, '''"\\;'),
			IF(seq % 10 = 0, NULL, REPEAT(CONCAT('line\n', seq, '\t-- not a comment; '), seq % 5)), UNHEX(CONCAT('00', HEX(seq), '5C27')),
			'2026-11-23 02:00:00.123456' + INTERVAL seq MINUTE, '2026-01-01 00:00:00' + INTERVAL seq HOUR, SEC_TO_TIME(seq), 2000 + seq % 100,
			seq % 256, ELT(1 + seq % 3, 'a','b','c'), IF(seq % 2, 'x,y', 'y'), JSON_OBJECT('n', seq, 's', 'q"\\'), IF(seq % 3, POINT(seq, -seq), NULL)
			FROM seq_1_to_3000`,
		`INSERT INTO myisam_t VALUES (1,'a'),(2,NULL)`,
		`CREATE VIEW v_kinds AS SELECT k.id, p.name FROM kinds k JOIN parent p ON p.id = k.parent_id WHERE k.s LIKE '%;%'`,
		`CREATE PROCEDURE count_kinds(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM kinds; SELECT ';;' AS x; END`,
		`CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2`,
		`CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DO DELETE FROM audit WHERE id < 0`,
		`CREATE SEQUENCE seq_orders START WITH 100 INCREMENT BY 5`,
		`SELECT NEXTVAL(seq_orders)`,
	)
}

func mariadbDump(t *testing.T, s *sandbox.Server, db string, extra ...string) []byte {
	t.Helper()
	args := append([]string{"--no-defaults", "--socket=" + s.Socket, "-uroot", "--routines", "--triggers", "--events"}, extra...)
	cmd := exec.Command("mariadb-dump", append(args, "--databases", db)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	return out
}

// fingerprint is CHECKSUM TABLE of every table and SHOW CREATE of every
// view, routine, trigger and event of a database.
func fingerprint(t *testing.T, db *sql.DB, name string) map[string]string {
	t.Helper()
	fp := map[string]string{}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// SHOW CREATE VIEW names the database unless it is the current one.
	if _, err := conn.ExecContext(context.Background(), "USE `"+name+"`"); err != nil {
		t.Fatal(err)
	}
	q := func(query string, args ...any) [][]sql.NullString {
		rows, err := conn.QueryContext(context.Background(), query, args...)
		if err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]sql.NullString
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	qn := "`" + name + "`."
	for _, r := range q("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", name) {
		tbl, typ := r[0].String, r[1].String
		switch typ {
		case "VIEW":
			fp["view "+tbl] = q("SHOW CREATE VIEW " + qn + "`" + tbl + "`")[0][1].String
		case "SEQUENCE":
			fp["sequence "+tbl] = fmt.Sprint(q("SHOW CREATE SEQUENCE " + qn + "`" + tbl + "`")[0][1].String, q("SELECT next_not_cached_value FROM " + qn + "`" + tbl + "`")[0][0].String)
		default:
			fp["table "+tbl] = q("CHECKSUM TABLE " + qn + "`" + tbl + "`")[0][1].String
			fp["create "+tbl] = q("SHOW CREATE TABLE " + qn + "`" + tbl + "`")[0][1].String
			fp["rows "+tbl] = q("SELECT COUNT(*) FROM " + qn + "`" + tbl + "`")[0][0].String
		}
	}
	for _, r := range q("SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?", name) {
		fp[r[0].String+" "+r[1].String] = q("SHOW CREATE " + r[0].String + " " + qn + "`" + r[1].String + "`")[0][2].String
	}
	for _, r := range q("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?", name) {
		fp["trigger "+r[0].String] = q("SHOW CREATE TRIGGER " + qn + "`" + r[0].String + "`")[0][2].String
	}
	for _, r := range q("SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?", name) {
		fp["event "+r[0].String] = q("SHOW CREATE EVENT " + qn + "`" + r[0].String + "`")[0][3].String
	}
	return fp
}

func compare(t *testing.T, want, got map[string]string) {
	t.Helper()
	if len(want) < 10 {
		t.Fatalf("source fingerprint too small to mean anything: %v", want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s differs:\n source   %q\n restored %q", k, w, g)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("restored has extra %s", k)
		}
	}
}

func run(t *testing.T, s *sandbox.Server, target string, dump []byte, opts Options) (Result, error) {
	t.Helper()
	opts.Config = s.Config("")
	opts.Database = target
	tr := progress.Start("restore", nil, 0)
	defer tr.Finish()
	return Run(context.Background(), opts, bytes.NewReader(dump), tr)
}

// TestRoundTripMariadbDump restores a mariadb-dump file of the torture
// schema onto a fresh server, then into another database name.
func TestRoundTripMariadbDump(t *testing.T) {
	d := testdb.New(t)
	torture(t, d)
	want := fingerprint(t, d.DB, d.Name)
	dump := mariadbDump(t, d.Server, d.Name)

	fresh := testdb.NewServer(t, sandbox.Options{})
	db, err := fresh.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := run(t, fresh, d.Name, dump, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 3000+3000+50+2 || res.Source != d.Name {
		t.Errorf("rows %d source %q, want 6052 and %q", res.Rows, res.Source, d.Name)
	}
	compare(t, want, fingerprint(t, db, d.Name))
	if want["rows audit"] != "3000" {
		t.Errorf("source audit rows %s, want 3000", want["rows audit"])
	}

	t.Run("into", func(t *testing.T) {
		other := "copy_of_app"
		if _, err := run(t, fresh, other, dump, Options{}); err != nil {
			t.Fatal(err)
		}
		compare(t, want, fingerprint(t, db, other))
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", other).Scan(&n); err != nil || n != 1 {
			t.Fatalf("database %s not created (%d, %v)", other, n, err)
		}
	})
}

func TestStatementErrorNamesLineAndTable(t *testing.T) {
	d := testdb.New(t)
	dump := []byte("CREATE TABLE t (id INT PRIMARY KEY);\n" +
		"INSERT INTO t VALUES (1),(2);\n" +
		"-- a comment\n" +
		"INSERT INTO t VALUES (3),(3);\n" +
		"INSERT INTO t VALUES (4);\n")
	_, err := run(t, d.Server, d.Name, dump, Options{Parallel: 2})
	var se *StatementError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T), want a StatementError", err, err)
	}
	if se.Line != 4 || se.Table != "t" || !(strings.Contains(err.Error(), "Duplicate entry '3'") || strings.Contains(err.Error(), "bulk load")) || !strings.Contains(err.Error(), `line 4 (table "t")`) {
		t.Errorf("error %q: want line 4, table t, the duplicate", err)
	}
}

func TestDefinersStripped(t *testing.T) {
	d := testdb.New(t)
	dump := []byte("CREATE TABLE t (id INT);\n" +
		"CREATE DEFINER=`ghost`@`%` SQL SECURITY DEFINER VIEW v AS SELECT id FROM t;\n" +
		"DELIMITER ;;\nCREATE DEFINER=`ghost`@`%` PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\n")
	res, err := run(t, d.Server, d.Name, dump, Options{StripDefiners: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Definers, ",") != "'ghost'@'%'" {
		t.Errorf("definers %q", res.Definers)
	}
	var definer string
	if err := d.QueryRow("SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'v'", d.Name).Scan(&definer); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(definer, "ghost@") {
		t.Errorf("view definer %q: not stripped", definer)
	}
	missing, err := MissingDefiners(context.Background(), d.DB, []string{"'ghost'@'%'", "'root'@'localhost'"})
	if err != nil || strings.Join(missing, ",") != "'ghost'@'%'" {
		t.Errorf("missing definers %q (%v), want only ghost", missing, err)
	}
}

func TestCancelStopsQuickly(t *testing.T) {
	d := testdb.New(t)
	var b bytes.Buffer
	b.WriteString("CREATE TABLE t (id INT PRIMARY KEY, s TEXT);\n")
	for i := 0; i < 2000; i++ {
		b.WriteString("INSERT INTO t VALUES ")
		for j := 0; j < 200; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "(%d,'%s')", i*200+j, strings.Repeat("x", 50))
		}
		b.WriteString(";\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	tr := progress.Start("restore", func(s progress.Snapshot) {
		if s.Rows > 20000 {
			cancel()
		}
	}, 0)
	defer tr.Finish()
	_, err := Run(ctx, Options{Config: d.Server.Config(""), Database: d.Name}, bytes.NewReader(b.Bytes()), tr)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	var n int
	if err := d.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n >= 400000 {
		t.Errorf("rows after cancel %d (%v): the load did not stop", n, err)
	}
}

// TestDeferredIndexErrorStopsTheRestore: an index built after the data
// (on its own connection, while the next table loads) that fails stops the
// restore with the table and the CREATE TABLE's line.
func TestDeferredIndexErrorStopsTheRestore(t *testing.T) {
	d := testdb.New(t)
	dump := []byte("CREATE TABLE `u` (\n  `id` int NOT NULL,\n  `c` int NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `uc` (`c`)\n) ENGINE=InnoDB;\n" +
		"INSERT INTO `u` VALUES (1,5),(2,5);\n" +
		"CREATE TABLE `w` (\n  `id` int NOT NULL,\n  `k` int NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `wk` (`k`)\n) ENGINE=InnoDB;\n" +
		"INSERT INTO `w` VALUES (1,1),(2,2);\n")
	_, err := run(t, d.Server, d.Name, dump, Options{})
	var se *StatementError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T), want a StatementError", err, err)
	}
	if se.Line != 1 || se.Table != "u" || !strings.Contains(err.Error(), "Duplicate entry '5'") {
		t.Errorf("error %q: want line 1, table u, the duplicate", err)
	}
}
