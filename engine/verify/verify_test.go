package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// trickyDump fills a database with values that look like SQL syntax and a
// trigger whose body INSERTs, then dumps it with the stock mariadb-dump.
func trickyDump(t *testing.T) (sql []byte, rows map[string]int64) {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE `we``ird;name` (id INT PRIMARY KEY, s TEXT)",
		"CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, msg TEXT)",
		"CREATE TABLE empty_one (id INT)",
		"CREATE TABLE nums (n BIGINT)",
		"CREATE TRIGGER trg AFTER INSERT ON nums FOR EACH ROW BEGIN INSERT INTO log (msg) VALUES ('a'),('b'); INSERT INTO log (msg) VALUES (';'); END",
	)
	nasty := []string{"),(", "it's", `back\slash`, "semi;colon\n-- not a comment", "/* no */", "\"dq\"", "`bt`", "# hash", "DELIMITER ;;"}
	for i, s := range nasty {
		if _, err := d.Exec("INSERT INTO `we``ird;name` VALUES (?, ?)", i, s); err != nil {
			t.Fatal(err)
		}
	}
	// Enough rows for several INSERT statements with a small buffer.
	for i := 0; i < 30; i++ {
		var vals []string
		for j := 0; j < 100; j++ {
			vals = append(vals, fmt.Sprintf("(%d)", i*100+j))
		}
		d.MustExec(t, "INSERT INTO nums VALUES "+strings.Join(vals, ","))
	}
	d.MustExec(t, "DELETE FROM log")
	var out, stderr bytes.Buffer
	cmd := exec.Command("mariadb-dump", "--socket="+d.Server.Socket, "-uroot", "--routines", "--triggers",
		"--net-buffer-length=4096", "--databases", d.Name)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	return out.Bytes(), map[string]int64{"we`ird;name": int64(len(nasty)), "nums": 3000}
}

func TestCountRowsRealDump(t *testing.T) {
	sql, want := trickyDump(t)
	if !bytes.Contains(sql, []byte("DELIMITER ;;")) {
		t.Fatal("dump has no DELIMITER block; the test would prove nothing")
	}
	got, err := CountRows(bytes.NewReader(sql))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counted %v, want %v (the trigger's INSERTs must not count)", got, want)
	}
}

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := catalog.NewWriter(&buf, "gzip")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func manifestFor(file []byte, rows map[string]int64) *catalog.Manifest {
	sum := sha256.Sum256(file)
	return &catalog.Manifest{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(file)), Tables: rows, Compression: "gzip"}
}

func failed(rep Report) []string {
	var out []string
	for _, c := range rep.Checks {
		if !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}

func TestStreamCatchesDamage(t *testing.T) {
	sql, rows := trickyDump(t)
	good := gz(t, sql)
	run := func(file []byte, m *catalog.Manifest) Report {
		t.Helper()
		tr := progress.Start("verify", nil, 0)
		defer tr.Finish()
		rep, err := Stream(context.Background(), bytes.NewReader(file), Options{Stream: catalog.Stream{Compression: "gzip"}, Manifest: m, Tracker: tr})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Snapshot().Bytes != int64(len(file)) {
			t.Errorf("progress counted %d bytes, file has %d", tr.Snapshot().Bytes, len(file))
		}
		return rep
	}
	rep := run(good, manifestFor(good, rows))
	if !rep.OK() || len(rep.Checks) != 5 { // sha256, decompress, completion, rows, statements allowed
		t.Fatalf("good backup: %+v", rep.Checks)
	}

	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x55
	if f := failed(run(flipped, manifestFor(good, rows))); !contains(f, CheckSHA256) || !contains(f, CheckDecompress) {
		t.Errorf("flipped byte: failed checks %v, want sha256 and decompress", f)
	}
	cut := good[:len(good)*2/3]
	if f := failed(run(cut, manifestFor(good, rows))); !contains(f, CheckSHA256) || !contains(f, CheckCompletion) {
		t.Errorf("truncated: failed checks %v", f)
	}
	// A whole gzip stream whose SQL stops before the completion line, with a
	// manifest that matches it: only the completion check can catch it.
	i := bytes.LastIndex(bytes.TrimRight(sql, "\n"), []byte("\n"))
	noEnd := gz(t, sql[:i+1])
	if f := failed(run(noEnd, manifestFor(noEnd, rows))); fmt.Sprint(f) != "[completion line]" {
		t.Errorf("missing completion line: failed checks %v", f)
	}
	// Rows removed and the sha256 updated: the row counts catch it.
	doctored := gz(t, bytes.Replace(sql, []byte("(1),"), nil, 1))
	if f := failed(run(doctored, manifestFor(doctored, rows))); fmt.Sprint(f) != "[row counts]" {
		t.Errorf("doctored rows: failed checks %v", f)
	}
	// A foreign file: no manifest, so no sha256 or row checks.
	rep = run(good, nil)
	if !rep.OK() || len(rep.Checks) != 3 { // decompress, completion, statements allowed
		t.Errorf("foreign: %+v", rep.Checks)
	}
}

func TestStreamCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Stream(ctx, bytes.NewReader(gz(t, []byte("SELECT 1;\n"))), Options{Stream: catalog.Stream{Compression: "gzip"}})
	if err == nil {
		t.Fatal("cancelled verify returned no error")
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestStreamZstdAndNone(t *testing.T) {
	sql, rows := trickyDump(t)
	for _, comp := range []string{"zstd", "none"} {
		var buf bytes.Buffer
		w, err := catalog.NewWriter(&buf, comp)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(sql)
		w.Close()
		file := buf.Bytes()
		m := manifestFor(file, rows)
		m.Compression = comp
		rep, err := Stream(context.Background(), bytes.NewReader(file), Options{Stream: catalog.Stream{Compression: comp}, Manifest: m})
		if err != nil || !rep.OK() || rep.SQL != int64(len(sql)) {
			t.Errorf("%s: %v %+v (sql %d of %d bytes)", comp, err, rep.Checks, rep.SQL, len(sql))
		}
		bad := bytes.Clone(file)
		bad[len(bad)/2] ^= 0x10
		rep, _ = Stream(context.Background(), bytes.NewReader(bad), Options{Stream: catalog.Stream{Compression: comp}, Manifest: m})
		want := CheckDecompress
		if comp == "none" {
			want = CheckSHA256 // no stream checksum: the sha256 catches it
		}
		if f := failed(rep); !contains(f, want) {
			t.Errorf("%s flipped byte: failed %v, want %s", comp, f, want)
		}
	}
}
