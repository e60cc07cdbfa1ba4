package sqlsplit

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func kinds(gs []got) map[Kind][]string {
	m := map[Kind][]string{}
	for _, g := range gs {
		m[g.Kind] = append(m[g.Kind], g.Table+g.Database)
	}
	return m
}

func TestMysqldumpStyleFile(t *testing.T) {
	f, err := os.Open("testdata/mysqldump80.sql")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gs, comments, _ := splitAll(t, f)
	k := kinds(gs)
	check := func(kind Kind, want string) {
		t.Helper()
		if got := strings.Join(k[kind], ","); got != want {
			t.Errorf("%v: got %q, want %q", kind, got, want)
		}
	}
	check(Insert, "orders")
	check(CreateTable, "orders")
	check(CreateView, "big_orders,big_orders")
	check(CreateRoutine, "orders_ai,bump")
	check(CreateDatabase, "shop")
	check(Use, "shop")
	check(Lock, "orders")
	for _, g := range gs {
		if g.Kind == Insert && g.Rows != 3 {
			t.Errorf("insert rows %d, want 3", g.Rows)
		}
		if g.Kind == CreateRoutine && g.Table == "bump" && !strings.HasSuffix(g.SQL, "END") {
			t.Errorf("procedure cut wrong: %q", g.SQL)
		}
	}
	if last := comments[len(comments)-1]; !strings.HasPrefix(last, "-- Dump completed") {
		t.Errorf("last comment %q", last)
	}
}

// TestRealMariadbDump splits what mariadb-dump writes for a schema with a
// procedure, a function, a trigger, an event and a view: the sandbox line,
// DELIMITER blocks and conditional comments all at once.
func TestRealMariadbDump(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE t (id INT PRIMARY KEY, s TEXT)",
		"CREATE TABLE log (id INT)",
		`INSERT INTO t VALUES (1,'a;b'),(2,'it''s'),(3,'back\\slash'),(4,'-- x\n/* y */ #z'),(5,NULL)`,
		"CREATE VIEW v AS SELECT id FROM t WHERE s LIKE '%;%'",
		"CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW BEGIN INSERT INTO log VALUES (NEW.id); INSERT INTO log VALUES (-NEW.id); END",
		"CREATE PROCEDURE p() BEGIN SELECT 1; SELECT ';'; END",
		"CREATE FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
		"CREATE EVENT ev ON SCHEDULE EVERY 1 DAY DO INSERT INTO log VALUES (0)",
	)
	cmd := exec.Command("mariadb-dump", "--no-defaults", "--socket="+d.Server.Socket, "-uroot",
		"--routines", "--triggers", "--events", "--databases", d.Name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	if !bytes.HasPrefix(out, []byte("/*M!999999\\- enable the sandbox mode */")) {
		t.Fatalf("this mariadb-dump writes no sandbox line; the test needs one: %q", out[:60])
	}
	gs, comments, _ := splitAll(t, bytes.NewReader(out))
	for _, g := range gs {
		if strings.Contains(g.SQL, "999999\\-") {
			t.Errorf("sandbox line sent as SQL: %q", g.SQL)
		}
	}
	k := kinds(gs)
	for _, want := range []string{"trg", "p", "f", "ev"} {
		if !strings.Contains(","+strings.Join(k[CreateRoutine], ",")+",", ","+want+",") {
			t.Errorf("routine %s not found among %q", want, k[CreateRoutine])
		}
	}
	rows := 0
	for _, g := range gs {
		rows += g.Rows
	}
	if rows != 5 || len(k[Insert]) != 1 || k[Insert][0] != "t" {
		t.Errorf("inserts %q with %d rows, want one into t with 5", k[Insert], rows)
	}
	if last := comments[len(comments)-1]; !strings.HasPrefix(last, "-- Dump completed") {
		t.Errorf("last comment %q", last)
	}
	// Executing the statements in order on a fresh database recreates it.
	// (restore does this properly; here it proves the cuts are right.)
	root, err := d.Server.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	root.SetMaxOpenConns(1)
	if _, err := root.Exec("DROP DATABASE `" + d.Name + "`"); err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		if _, err := root.Exec(g.SQL); err != nil {
			t.Fatalf("line %d: %v\n%s", g.Line, err, g.SQL)
		}
	}
	var n int
	if err := root.QueryRow("SELECT COUNT(*) FROM `" + d.Name + "`.t WHERE s LIKE '%;%' OR s LIKE '%\\\\\\\\%'").Scan(&n); err != nil || n != 2 {
		t.Errorf("restored rows with ; or backslash: %d (%v), want 2", n, err)
	}
}
