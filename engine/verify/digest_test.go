package verify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

func TestEachTupleCutsRowsAsWritten(t *testing.T) {
	sql := "INSERT INTO `t` (`a`,`b`) VALUES (1,'x),(y'),(2,'it\\'s (\\\\'),(3,_binary'\\0\"'),(4,NULL) ON DUPLICATE KEY UPDATE a=VALUES(a)"
	var got []string
	sqlsplit.EachTuple([]byte(sql), false, func(b []byte) { got = append(got, string(b)) })
	want := []string{"(1,'x),(y')", "(2,'it\\'s (\\\\')", "(3,_binary'\\0\"')", "(4,NULL)"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("tuples %q, want %q", got, want)
	}
}

func TestDigestIsOrderFreeButCountsDuplicates(t *testing.T) {
	digest := func(sql string) *rowDigest {
		t.Helper()
		d, err := digestSQL(strings.NewReader(sql), false)
		if err != nil {
			t.Fatal(err)
		}
		return d.Tables["t"]
	}
	a := digest("INSERT INTO t VALUES (1,'a'),(2,'b');\nINSERT INTO t VALUES (3,'c');\n")
	b := digest("INSERT INTO `t` VALUES (3,'c');\nINSERT INTO t VALUES (2,'b'),(1,'a');\n")
	if *a != *b || a.Rows != 3 {
		t.Fatalf("same rows in another order: %+v vs %+v", a, b)
	}
	c := digest("INSERT INTO t VALUES (1,'a'),(1,'a'),(2,'b');\n")
	d := digest("INSERT INTO t VALUES (1,'a'),(2,'b'),(2,'b');\n")
	if *c == *d {
		t.Fatalf("different multisets digest the same: %+v", c)
	}
	e := digest("INSERT INTO t VALUES (1,'a');\nUPDATE `t` SET `b` = CONCAT(`b`, 'x') WHERE `a` = 1;\n")
	f := digest("INSERT INTO t VALUES (1,'a');\nUPDATE `t` SET `b` = CONCAT(`b`, 'y') WHERE `a` = 1;\n")
	if *e == *f || e.Rows != 1 {
		t.Fatalf("the pieces of a big value are not digested: %+v %+v", e, f)
	}
}
