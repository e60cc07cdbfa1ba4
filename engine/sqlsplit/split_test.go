package sqlsplit

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// got is a copy of a Statement that outlives Next.
type got struct {
	SQL      string
	Line     int
	Kind     Kind
	Table    string
	Database string
	Rows     int
}

func splitAll(t testing.TB, r io.Reader) ([]got, []string, *Splitter) {
	t.Helper()
	s := New(r)
	var comments []string
	s.OnComment = func(line int, text []byte) { comments = append(comments, string(text)) }
	var out []got
	for {
		st, err := s.Next()
		if errors.Is(err, io.EOF) {
			return out, comments, s
		}
		if err != nil {
			t.Fatalf("split: %v", err)
		}
		out = append(out, got{string(st.SQL), st.Line, st.Kind, st.Table, st.Database, st.Rows})
	}
}

func sqls(gs []got) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.SQL)
	}
	return out
}

func expectSQL(t *testing.T, input string, want ...string) []got {
	t.Helper()
	for _, r := range []io.Reader{strings.NewReader(input), iotest.OneByteReader(strings.NewReader(input))} {
		gs, _, _ := splitAll(t, r)
		if g := sqls(gs); strings.Join(g, "\x00") != strings.Join(want, "\x00") {
			t.Fatalf("split %q:\n got %q\nwant %q", input, g, want)
		}
	}
	gs, _, _ := splitAll(t, strings.NewReader(input))
	return gs
}

func TestStringsWithEveryEscape(t *testing.T) {
	in := `INSERT INTO t VALUES ('a;b','it''s','back\';slash\\',"dq;\"x""y",'nl\nx;'),(2,'(;)');SELECT 1;`
	gs := expectSQL(t, in,
		`INSERT INTO t VALUES ('a;b','it''s','back\';slash\\',"dq;\"x""y",'nl\nx;'),(2,'(;)')`,
		`SELECT 1`)
	if gs[0].Kind != Insert || gs[0].Table != "t" || gs[0].Rows != 2 {
		t.Errorf("insert classified as %+v", gs[0])
	}
	// Backtick identifiers with doubled backticks and delimiters inside.
	expectSQL(t, "CREATE TABLE `a;``b` (`x;` int);\nSELECT 2;", "CREATE TABLE `a;``b` (`x;` int)", "SELECT 2")
	// A string spanning lines keeps line numbers right for later statements.
	gs = expectSQL(t, "SELECT 'a\nb;c';\nSELECT 3;", "SELECT 'a\nb;c'", "SELECT 3")
	if gs[1].Line != 3 {
		t.Errorf("line after multi-line string = %d, want 3", gs[1].Line)
	}
}

func TestNoBackslashEscapes(t *testing.T) {
	in := "SET sql_mode='NO_BACKSLASH_ESCAPES';\nINSERT INTO t VALUES ('a\\');\nSET sql_mode='';\nINSERT INTO t VALUES ('b\\');x');\n"
	gs := expectSQL(t, in, "SET sql_mode='NO_BACKSLASH_ESCAPES'", `INSERT INTO t VALUES ('a\')`, "SET sql_mode=''", `INSERT INTO t VALUES ('b\');x')`)
	if gs[1].Rows != 1 || gs[3].Rows != 1 {
		t.Errorf("rows: %d, %d", gs[1].Rows, gs[3].Rows)
	}
}

func TestComments(t *testing.T) {
	in := "-- header one\n# hash line\n/* block; comment */ SELECT 1 -- tail;\n;\nSELECT 2--2;\nSELECT /* a;b */ 3 # x;\n;\n-- Dump completed on 2026-11-23\n"
	gs := expectSQL(t, in, "SELECT 1 -- tail;", "SELECT 2--2", "SELECT /* a;b */ 3 # x;")
	if gs[0].Line != 3 || gs[1].Line != 5 || gs[2].Line != 6 {
		t.Errorf("lines %d %d %d, want 3 5 6", gs[0].Line, gs[1].Line, gs[2].Line)
	}
	_, comments, _ := splitAll(t, strings.NewReader(in))
	want := []string{"-- header one", "# hash line", "-- Dump completed on 2026-11-23"}
	if strings.Join(comments, "|") != strings.Join(want, "|") {
		t.Errorf("comments %q, want %q", comments, want)
	}
}

func TestConditionalComments(t *testing.T) {
	in := "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n" +
		"/*!40000 ALTER TABLE `orders` DISABLE KEYS */;\n" +
		"/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v1` AS select 1 AS `1` */;\n" +
		"/*M!100101 SET @x=1 */;\n"
	gs := expectSQL(t, in,
		"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
		"/*!40000 ALTER TABLE `orders` DISABLE KEYS */",
		"/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v1` AS select 1 AS `1` */",
		"/*M!100101 SET @x=1 */")
	wantKinds := []Kind{Set, Alter, CreateView, Set}
	wantTables := []string{"", "orders", "v1", ""}
	for i, g := range gs {
		if g.Kind != wantKinds[i] || g.Table != wantTables[i] {
			t.Errorf("statement %d: kind %v table %q, want %v %q", i, g.Kind, g.Table, wantKinds[i], wantTables[i])
		}
	}
}

func TestDelimiterBlocks(t *testing.T) {
	in := "DELIMITER ;;\n" +
		"CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nBEGIN\n  SELECT 1; SELECT ';;';\nEND ;;\n" +
		"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` AFTER INSERT ON `t` FOR EACH ROW INSERT INTO log VALUES (NEW.id) */;;\n" +
		"delimiter ;\nSELECT 3;\nDELIMITER $$\nCREATE FUNCTION f() RETURNS int RETURN 1$$\nDELIMITER ;\n"
	gs := expectSQL(t, in,
		"CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nBEGIN\n  SELECT 1; SELECT ';;';\nEND",
		"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `trg` AFTER INSERT ON `t` FOR EACH ROW INSERT INTO log VALUES (NEW.id) */",
		"SELECT 3",
		"CREATE FUNCTION f() RETURNS int RETURN 1")
	for i, name := range []string{"p", "trg", "", "f"} {
		if i == 2 {
			continue
		}
		if gs[i].Kind != CreateRoutine || gs[i].Table != name {
			t.Errorf("statement %d: %v %q, want create routine %q", i, gs[i].Kind, gs[i].Table, name)
		}
	}
	if gs[0].Line != 2 || gs[2].Line != 8 {
		t.Errorf("lines %d, %d; want 2, 8", gs[0].Line, gs[2].Line)
	}
}

func TestSandboxLineSkipped(t *testing.T) {
	in := "/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n\nSELECT 1;\n"
	gs := expectSQL(t, in, "SELECT 1")
	if gs[0].Line != 4 {
		t.Errorf("line %d, want 4", gs[0].Line)
	}
}

func TestUnterminatedLastStatement(t *testing.T) {
	_, _, s := splitAll(t, strings.NewReader("SELECT 1;"))
	if s.unterminated {
		t.Error("terminated input reported unterminated")
	}
	gs, _, s := splitAll(t, strings.NewReader("SELECT 1;\nINSERT INTO t VALUES (1),(2"))
	if len(gs) != 2 || gs[1].SQL != "INSERT INTO t VALUES (1),(2" || !s.unterminated {
		t.Errorf("got %q (unterminated %v)", sqls(gs), s.unterminated)
	}
}

func TestVeryLongStatement(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("INSERT INTO `big` VALUES ")
	const n = 200000
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(1,'some text; with (parens) and \\'quotes\\'',NULL)")
	}
	b.WriteString(";\nSELECT 1;\n")
	size := b.Len()
	gs, _, _ := splitAll(t, iotest.HalfReader(bytes.NewReader(b.Bytes())))
	if len(gs) != 2 || gs[0].Rows != n || gs[0].Table != "big" || len(gs[0].SQL) != size-len(";\nSELECT 1;\n") {
		t.Fatalf("got %d statements, rows %d, len %d", len(gs), gs[0].Rows, len(gs[0].SQL))
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		sql         string
		kind        Kind
		db, table   string
		rows        int
		description string
	}{
		{"INSERT INTO `db`.`t` (`a`,`b`) VALUES (1,2),(3,4) ON DUPLICATE KEY UPDATE a=VALUES(a)", Insert, "db", "t", 2, "qualified, column list, upsert"},
		{"INSERT IGNORE INTO `into` VALUES (1)", Insert, "", "into", 1, "keyword-named table"},
		{"REPLACE INTO t SELECT * FROM u", Insert, "", "t", 0, "insert select"},
		{"insert into t value ('v(a)l','x\\'')", Insert, "", "t", 1, "VALUE, lower case"},
		{"CREATE TABLE IF NOT EXISTS `orders` (id int)", CreateTable, "", "orders", 0, ""},
		{"CREATE OR REPLACE TEMPORARY TABLE x (id int)", CreateTable, "", "x", 0, ""},
		{"CREATE DEFINER=`u`@`%` FUNCTION `f`() RETURNS int RETURN 1", CreateRoutine, "", "f", 0, ""},
		{"CREATE DEFINER=CURRENT_USER() EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1", CreateRoutine, "", "e", 0, ""},
		{"/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `ev` ON SCHEDULE EVERY 1 DAY DO SELECT 1 */", CreateRoutine, "", "ev", 0, ""},
		{"CREATE UNIQUE INDEX `ix` ON t (a)", CreateIndex, "", "ix", 0, ""},
		{"CREATE DATABASE /*!32312 IF NOT EXISTS*/ `app` /*!40100 DEFAULT CHARACTER SET utf8mb4 */", CreateDatabase, "app", "", 0, ""},
		{"CREATE SEQUENCE `s1` start with 1", CreateSequence, "", "s1", 0, ""},
		{"DROP TABLE IF EXISTS `orders`", Drop, "", "orders", 0, ""},
		{"/*!50001 DROP VIEW IF EXISTS `v`*/", Drop, "", "v", 0, ""},
		{"USE `app`", Use, "app", "", 0, ""},
		{"LOCK TABLES `orders` WRITE", Lock, "", "orders", 0, ""},
		{"UNLOCK TABLES", Unlock, "", "", 0, ""},
		{"SELECT SETVAL(`s1`, 1, 0)", Select, "", "", 0, ""},
		{"ALTER TABLE `t` ADD KEY (a)", Alter, "", "t", 0, ""},
		{"GRANT ALL ON *.* TO x", Other, "", "", 0, ""},
	}
	for _, c := range cases {
		st := Statement{SQL: []byte(c.sql)}
		classify(&st)
		rows := 0
		if st.Kind == Insert {
			rows = CountRows(st.SQL)
		}
		if st.Kind != c.kind || st.Database != c.db || st.Table != c.table || rows != c.rows {
			t.Errorf("%s (%s): got %v %q.%q rows %d, want %v %q.%q rows %d", c.sql, c.description, st.Kind, st.Database, st.Table, rows, c.kind, c.db, c.table, c.rows)
		}
	}
}

func TestDefiner(t *testing.T) {
	cases := []struct{ sql, user, host, stripped string }{
		{"CREATE DEFINER=`app`@`%` PROCEDURE `p`() SELECT 1", "app", "%", "CREATE  PROCEDURE `p`() SELECT 1"},
		{"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER x", "root", "localhost", "/*!50003 CREATE*/ /*!50017 */ /*!50003 TRIGGER x"},
		{"CREATE DEFINER='o''k'@'h' VIEW v AS SELECT 1", "o''k", "h", "CREATE  VIEW v AS SELECT 1"},
		{"CREATE DEFINER=CURRENT_USER() FUNCTION f() RETURNS INT RETURN 1", "CURRENT_USER", "", "CREATE  FUNCTION f() RETURNS INT RETURN 1"},
	}
	for _, c := range cases {
		u, h, s, e, ok := Definer([]byte(c.sql))
		if !ok || u != c.user || h != c.host || c.sql[:s]+c.sql[e:] != c.stripped {
			t.Errorf("%s: got %q@%q ok=%v stripped %q", c.sql, u, h, ok, c.sql[:s]+c.sql[e:])
		}
	}
	if _, _, _, _, ok := Definer([]byte("CREATE VIEW v SQL SECURITY DEFINER AS SELECT 1")); ok {
		t.Error("SQL SECURITY DEFINER taken for a definer clause")
	}
}
