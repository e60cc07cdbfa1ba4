package restore

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func convertTable() *loadTable {
	t := &loadTable{visible: true, byName: map[string]loadCol{}}
	for _, c := range []loadCol{
		{name: "id", class: clNumber}, {name: "s", class: clText, charset: "utf8mb4", nullable: true},
		{name: "b", class: clBinary, nullable: true}, {name: "bits", class: clBit, nullable: true},
	} {
		t.cols = append(t.cols, c)
		t.byName[c.name] = c
	}
	return t
}

// TestConvertInsertText: the literals become the exact bytes, escaped for
// LOAD DATA; in NO_BACKSLASH_ESCAPES a backslash is a byte.
func TestConvertInsertText(t *testing.T) {
	for _, c := range []struct {
		sql         string
		noBackslash bool
		want        string
	}{
		{"INSERT INTO `t` VALUES (1,'a\\tb\\nc\\\\d\\0e\\Z''f\\%',_binary 'x\\'y',b'101')", false, "1\ta\\tb\\nc\\\\d\\0e\x1a'f\\\\%\tx'y\t\x05\n"},
		{"INSERT INTO t VALUES (-2,NULL,0x00FF5C0A,0x0102),(3e2,'NULL',X'09',B'1');", false, "-2\t\\N\t\\0\xff\\\\\\n\t\x01\x02\n3e2\tNULL\t\\t\t\x01\n"},
		{"insert into `t` (`s`,`id`) values ('a\\b',7)", true, "a\\\\b\t7\n"},
	} {
		conv, data, ok := convertInsert([]byte(c.sql), c.noBackslash, convertTable(), "utf8mb4", nil)
		if !ok || string(data) != c.want || conv.table != "t" {
			t.Errorf("%s:\n ok %v table %q\n got  %q\n want %q", c.sql, ok, conv.table, data, c.want)
		}
	}
}

// TestConvertInsertLeavesTheRestToInsert: what the converter does not know
// to load the same stays an INSERT.
func TestConvertInsertLeavesTheRestToInsert(t *testing.T) {
	for _, sql := range []string{
		"REPLACE INTO t VALUES (1,'a',NULL,NULL)",
		"INSERT IGNORE INTO t VALUES (1,'a',NULL,NULL)",
		"INSERT INTO db.t VALUES (1,'a',NULL,NULL)",
		"INSERT INTO t VALUES (1,'a' 'b',NULL,NULL)",     // concatenated strings
		"INSERT INTO t VALUES (1,CONCAT('a'),NULL,NULL)", // a function
		"INSERT INTO t VALUES (1,DEFAULT,NULL,NULL)",     // DEFAULT
		"INSERT INTO t VALUES (1,'a',NULL,NULL) ON DUPLICATE KEY UPDATE s='b'",
		"INSERT INTO t VALUES (1,'a',NULL)",             // too few values
		"INSERT INTO t VALUES (NULL,'a',NULL,NULL)",     // NULL into NOT NULL
		"INSERT INTO t VALUES (1,2,NULL,NULL)",          // a number into a string column
		"INSERT INTO t VALUES ('1','a',0xABC,NULL)",     // odd hex digits
		"INSERT INTO t VALUES (1,_latin1'a',NULL,NULL)", // latin1 into utf8mb4
		"INSERT INTO t VALUES (1,'a',NULL,5)",           // a number into BIT
		"INSERT INTO t VALUES (1,'a',NULL,'')",          // empty into BIT
		"INSERT INTO t VALUES (1,'a',NULL,NULL),",       // trailing comma
		"INSERT INTO t VALUES (1,'unterminated,NULL,NULL)",
		"INSERT INTO t (id, nope) VALUES (1,2)",                // unknown column
		"INSERT INTO t VALUES (1,'a',NULL,NULL); DROP TABLE t", // anything after
		"INSERT INTO t VALUES (1.5.3,'a',NULL,NULL)",
		"INSERT INTO t VALUES (1e,'a',NULL,NULL)",
	} {
		if _, data, ok := convertInsert([]byte(sql), false, convertTable(), "utf8mb4", nil); ok {
			t.Errorf("%s: converted to %q; want it left to the INSERT", sql, data)
		}
	}
	if _, _, ok := convertInsert([]byte("INSERT INTO t VALUES (1,'a',NULL,NULL)"), false, convertTable(), "latin1", nil); ok {
		t.Error("a utf8mb4 column read from a latin1 connection was converted")
	}
	hidden := convertTable()
	hidden.visible = false
	if _, _, ok := convertInsert([]byte("INSERT INTO t VALUES (1,'a',NULL,NULL)"), false, hidden, "utf8mb4", nil); ok {
		t.Error("an INSERT without a column list into a table with a generated or invisible column was converted")
	}
	if got := parseInsertHeader([]byte("INSERT INTO `we``ird` (`a`) VALUES (1)")); got != "we`ird" {
		t.Errorf("header table %q", got)
	}
	if strings.Contains(string(appendField(nil, []byte("a\tb\nc\\d\x00"))), "\t") {
		t.Error("a tab was left unescaped")
	}
}

// TestQuotedFieldIsQuotedThenEscaped: reading a string literal straight
// into a LOAD DATA field gives what unescaping it (quoted) and escaping
// the bytes (appendField) gives, for every escape, raw control byte and
// truncation, with and without NO_BACKSLASH_ESCAPES.
func TestQuotedFieldIsQuotedThenEscaped(t *testing.T) {
	pieces := []string{"a", "é", "\\", "\\\\", "\\'", "''", "'", "\\0", "\\b", "\\n", "\\r", "\\t", "\\Z", "\\%", "\\_",
		"\\N", "\\q", "\\\"", "\t", "\n", "\x00", "\r", "\x1a", "\\\t", "\\\n", "\\\x00", "%", "N", " ,)("}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := 0
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		b.WriteString("'")
		for n := rng.IntN(12); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		if rng.IntN(4) > 0 {
			b.WriteString("'")
		}
		b.WriteString(",7)")
		sql := []byte(b.String())
		for _, nb := range []bool{false, true} {
			ref := insertParser{s: sql, noBackslash: nb}
			refOK := ref.quoted()
			want := appendField([]byte("x"), ref.buf)
			p := insertParser{s: sql, noBackslash: nb}
			got, ok := p.quotedField([]byte("x"))
			if ok != refOK || (ok && (string(got) != string(want) || p.i != ref.i)) {
				t.Fatalf("%q (no backslash escapes %v): got %q, %v at %d; quoted then appendField: %q, %v at %d", sql, nb, got, ok, p.i, want, refOK, ref.i)
			}
			if ok {
				cases++
			}
		}
	}
	if cases < 10000 {
		t.Errorf("only %d of 40000 literals were whole", cases)
	}
}
