package verify

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// TestTrust04VerifyRunsTheRestoreGate: verify reports what restore would
// refuse, through the same allow-list: a GRANT appended to a clean dump
// fails "statements allowed", naming its line.
func TestTrust04VerifyRunsTheRestoreGate(t *testing.T) {
	clean := "CREATE TABLE t (id INT);\nINSERT INTO t VALUES (1);\n-- Dump completed on 2026-12-01\n"
	hostile := "CREATE TABLE t (id INT);\nGRANT ALL ON *.* TO 'x'@'%';\nINSERT INTO t VALUES (1);\n-- Dump completed on 2026-12-01\n"
	for sql, ok := range map[string]bool{clean: true, hostile: false} {
		rep, err := Stream(context.Background(), bytes.NewReader(gz(t, []byte(sql))), Options{Stream: catalog.Stream{Compression: "gzip"}})
		if err != nil {
			t.Fatal(err)
		}
		c := checkNamed(rep, CheckAllowed)
		if c == nil || c.OK != ok || (!ok && !strings.Contains(c.Detail, "line 2")) {
			t.Errorf("%q: %+v", sql, c)
		}
		if rep.Rows["t"] != 1 {
			t.Errorf("rows still counted past a refusal: %v", rep.Rows)
		}
	}
}

// TestTrust01VerifyChecksMaxAllowedPacket: given the server's limit,
// verify fails a file whose largest statement exceeds it, naming the table
// and the size, and passes one within it.
func TestTrust01VerifyChecksMaxAllowedPacket(t *testing.T) {
	sql := "CREATE TABLE big (b LONGBLOB);\nINSERT INTO big VALUES ('" + strings.Repeat(`\0`, 600) + "');\n-- Dump completed on 2026-12-01\n"
	for limit, ok := range map[int64]bool{1024: false, 4096: true} {
		rep, err := Stream(context.Background(), bytes.NewReader(gz(t, []byte(sql))), Options{Stream: catalog.Stream{Compression: "gzip"}, MaxAllowedPacket: limit})
		if err != nil {
			t.Fatal(err)
		}
		c := checkNamed(rep, CheckPacket)
		if c == nil || c.OK != ok || !strings.Contains(c.Detail, `table "big"`) || (!ok && !strings.Contains(c.Detail, "1227 bytes")) {
			t.Errorf("limit %d: %+v", limit, c)
		}
	}
	rep, err := Stream(context.Background(), bytes.NewReader(gz(t, []byte(sql))), Options{Stream: catalog.Stream{Compression: "gzip"}})
	if err != nil || checkNamed(rep, CheckPacket) != nil {
		t.Errorf("without a known limit the check is left out: %+v (%v)", rep.Checks, err)
	}
}

func checkNamed(rep Report, name string) *Check {
	for i := range rep.Checks {
		if rep.Checks[i].Name == name {
			return &rep.Checks[i]
		}
	}
	return nil
}
