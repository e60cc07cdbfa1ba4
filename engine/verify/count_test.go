package verify

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

func TestCountRowsCases(t *testing.T) {
	sql := strings.Join([]string{
		"-- INSERT INTO `c` VALUES (1),(2);",
		"# INSERT INTO `c` VALUES (1);",
		"/* INSERT INTO `c` VALUES (1); */",
		"/*!40000 ALTER TABLE `a` DISABLE KEYS */;",
		"INSERT INTO `a` (`x`, `y`) VALUES (1,'(a),(b)'),(2,'it''s'),(3,'\\');');",
		"insert ignore into db1.`b` values (1),(2);",
		"REPLACE INTO `b` VALUES (3);",
		"INSERT INTO `we``ird` VALUES (1) ON DUPLICATE KEY UPDATE x=VALUES(x), y=(1);",
		"INSERT INTO a SELECT * FROM (SELECT 1) s;",
		"DELIMITER ;;",
		"CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW BEGIN INSERT INTO c VALUES (1),(2); END ;;",
		"DELIMITER ;",
		"/*!50003 INSERT INTO `d` VALUES (5),(6) */;",
		"INSERT INTO `e` VALUES (1)",
	}, "\n")
	want := "map[a:3 b:3 d:2 e:1 we`ird:1]"
	got, err := CountRows(strings.NewReader(sql))
	if err != nil || fmt.Sprint(got) != want {
		t.Errorf("counted %v (err %v), want %s", got, err, want)
	}
	got, err = CountRows(iotest.OneByteReader(strings.NewReader(sql)))
	if err != nil || fmt.Sprint(got) != want {
		t.Errorf("one byte at a time: counted %v (err %v), want %s", got, err, want)
	}
}

func BenchmarkCountRows(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("INSERT INTO `t` VALUES ")
	for i := 0; i < 20000; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "(%d,'name %d with \\'quotes\\'',NULL,12.5)", i, i)
	}
	sb.WriteString(";\n")
	stmt := sb.String()
	sql := strings.Repeat(stmt, 10)
	b.SetBytes(int64(len(sql)))
	for i := 0; i < b.N; i++ {
		got, err := CountRows(strings.NewReader(sql))
		if err != nil || got["t"] != 200000 {
			b.Fatalf("counted %v, %v", got, err)
		}
	}
}

// BenchmarkStreamGzip is a whole verify pass (sha256, gunzip, row counts)
// over ~50 MB of SQL shaped like a dump: numbers, short strings, NULLs.
func BenchmarkStreamGzip(b *testing.B) {
	var sb strings.Builder
	for stmt := 0; sb.Len() < 50<<20; stmt++ {
		sb.WriteString("INSERT INTO `orders` VALUES ")
		for i := 0; i < 5000; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			fmt.Fprintf(&sb, "(%d,%d,'2026-11-%02d 10:00:00','customer %d',NULL,%d.%02d)", stmt*5000+i, i%977, i%28+1, i%3001, i%10000, i%100)
		}
		sb.WriteString(";\n")
	}
	sb.WriteString("-- Dump completed on 2026-11-23\n")
	var buf bytes.Buffer
	w, _ := catalog.NewWriter(&buf, "gzip")
	w.Write([]byte(sb.String()))
	w.Close()
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Stream(context.Background(), bytes.NewReader(buf.Bytes()), Options{Stream: catalog.Stream{Compression: "gzip"}})
		if err != nil || !rep.OK() {
			b.Fatalf("%v %+v", err, rep.Checks)
		}
	}
}
