package sqlsplit

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzSplit checks that splitting never panics, does not depend on how
// the input arrives (one byte at a time or all at once), and that joining
// the statements again with the delimiter gives the same statements back.
func FuzzSplit(f *testing.F) {
	f.Add([]byte("SELECT 1;INSERT INTO t VALUES ('a;b'),(\"c\\\"\");"))
	f.Add([]byte("DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END;;\nDELIMITER ;\n"))
	f.Add([]byte("/*M!999999\\- enable the sandbox mode */\n-- c\n/*!40101 SET x=1 */;# h\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := collect(t, bytes.NewReader(data))
		bytewise := collect(t, iotest.OneByteReader(bytes.NewReader(data)))
		if len(whole.stmts) != len(bytewise.stmts) {
			t.Fatalf("%d statements read whole, %d byte by byte", len(whole.stmts), len(bytewise.stmts))
		}
		for i := range whole.stmts {
			if whole.stmts[i] != bytewise.stmts[i] {
				t.Fatalf("statement %d differs:\n whole %+v\n bytes %+v", i, whole.stmts[i], bytewise.stmts[i])
			}
		}
		// Round trip: only meaningful when every statement ended with the
		// default delimiter.
		if whole.unterminated || bytes.Contains(bytes.ToLower(data), []byte("delimiter")) {
			return
		}
		var joined bytes.Buffer
		for _, st := range whole.stmts {
			joined.WriteString(st.SQL)
			joined.WriteString(separator(t, st.SQL))
		}
		again := collect(t, bytes.NewReader(joined.Bytes()))
		if strings.Join(sqls(again.stmts), "\x00") != strings.Join(sqls(whole.stmts), "\x00") {
			t.Fatalf("join and split again:\n got %q\nwant %q", sqls(again.stmts), sqls(whole.stmts))
		}
	})
}

type collected struct {
	stmts        []got
	unterminated bool
}

func collect(t *testing.T, r io.Reader) collected {
	s := New(r)
	var c collected
	for {
		st, err := s.Next()
		if errors.Is(err, io.EOF) {
			c.unterminated = s.unterminated
			return c
		}
		if err != nil {
			t.Fatal(err)
		}
		c.stmts = append(c.stmts, got{string(st.SQL), st.Line, st.Kind, st.Table, st.Database, st.Rows})
	}
}

// separator is "\n;\n", except after a statement that ends in "--" that
// was not a comment ("SELECT 1--;"): a line break would turn it into one.
func separator(t *testing.T, sql string) string {
	if !strings.HasSuffix(sql, "--") {
		return "\n;\n"
	}
	for _, sep := range []string{"\n;\n", ";\n"} {
		if c := collect(t, strings.NewReader(sql+sep)); len(c.stmts) == 1 && c.stmts[0].SQL == sql {
			return sep
		}
	}
	return "\n;\n"
}

// FuzzGate checks that the restore gate never panics on hostile input and
// decides the same whichever way the input arrives.
func FuzzGate(f *testing.F) {
	f.Add([]byte("USE `a`;\nSET @m=@@sql_mode, sql_mode='NO_BACKSLASH_ESCAPES';\nINSERT INTO t VALUES (1,'a\\',0x0F);\nSET sql_mode=@m;\n"))
	f.Add([]byte("UPDATE `t` SET `b` = CONCAT(`b`, _binary 'x') WHERE `id` = -1 AND `k` = 'y' LIMIT 1;DO SETVAL(`s`, 1, 0);"))
	f.Add([]byte("/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`r`@`l` SQL SECURITY DEFINER */ /*!50001 VIEW `v` AS select `a`.`t`.`id` from `t` */;DROP TABLE a, `b`.c;RENAME TABLE x TO y;ALTER TABLE t ADD KEY k (a), ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES mysql.u (b);"))
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := InspectOptions{Gate: GateOptions{Target: "a", Others: []string{"b"}}, KeepGoing: true}
		whole, err1 := Inspect(context.Background(), bytes.NewReader(data), opts)
		bytewise, err2 := Inspect(context.Background(), iotest.OneByteReader(bytes.NewReader(data)), opts)
		if (err1 == nil) != (err2 == nil) || (whole.Refusal == nil) != (bytewise.Refusal == nil) {
			t.Fatalf("whole %v %v, byte by byte %v %v", err1, whole.Refusal, err2, bytewise.Refusal)
		}
		if whole.Refusal != nil && whole.Refusal.Error() != bytewise.Refusal.Error() {
			t.Fatalf("refusals differ: %v / %v", whole.Refusal, bytewise.Refusal)
		}
	})
}
