package engine

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/dump"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// serverBinlogs are the server's own binary log files, oldest first, from
// the one named first on (they are local: the throwaway server's).
func serverBinlogs(t *testing.T, srv *sandbox.Server, first string) []string {
	t.Helper()
	root, err := srv.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var base string
	if err := root.QueryRow("SELECT @@log_bin_basename").Scan(&base); err != nil {
		t.Fatal(err)
	}
	rows, err := root.Query("SHOW BINARY LOGS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if name := string(vals[0]); name >= first {
			out = append(out, filepath.Join(filepath.Dir(base), name))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// writeContinuously inserts rows numbered 1, 2, 3... one per autocommit
// transaction until stop is closed, and returns the last number written.
func writeContinuously(t *testing.T, db *sql.DB, stop <-chan struct{}, last *atomic.Int64) <-chan error {
	done := make(chan error, 1)
	go func() {
		for n := int64(1); ; n++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := db.Exec("INSERT INTO seq (n, note) VALUES (?, REPEAT('x', 40))", n); err != nil {
				done <- err
				return
			}
			last.Store(n)
		}
	}()
	return done
}

// TestBackupCoordinatesReplayEveryRowOnce is issue 15 item 1: a writer
// inserts numbered rows while the dump starts; the backup restored and the
// binary log replayed from the manifest's coordinates hold every number
// exactly once, for the parallel dump (brief lock) and the lock-free one,
// with the log in ROW and MIXED format and rotating every few KB.
func TestBackupCoordinatesReplayEveryRowOnce(t *testing.T) {
	for _, format := range []string{"ROW", "MIXED"} {
		srv := testdb.BinlogServer(t, format, 8192)
		for _, parallel := range []int{2, 1} {
			t.Run(format+"/parallel="+string(rune('0'+parallel)), func(t *testing.T) {
				coordinatesRoundTrip(t, srv, parallel)
			})
		}
	}
}

func coordinatesRoundTrip(t *testing.T, srv *sandbox.Server, parallel int) {
	ctx := context.Background()
	d := testdb.NewOn(t, srv)
	d.MustExec(t, "CREATE TABLE seq (id INT AUTO_INCREMENT PRIMARY KEY, n BIGINT NOT NULL, note VARCHAR(64))",
		"INSERT INTO seq (n, note) SELECT -seq, 'preload' FROM seq_1_to_20000")
	var last atomic.Int64
	stop := make(chan struct{})
	done := writeContinuously(t, d.DB, stop, &last)
	for last.Load() < 50 { // the writer is well under way when the dump starts
		time.Sleep(time.Millisecond)
	}
	var out bytes.Buffer
	w, _ := catalog.NewWriter(&out, "none")
	mc := backupEngine(t, d, "none").mysqlConfig()
	res, err := dump.Run(ctx, dump.Options{MySQL: mc, Database: d.Name, Parallel: parallel, ToolVersion: Version}, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	time.Sleep(300 * time.Millisecond) // writes after the snapshot too
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if res.Binlog == nil || res.Binlog.File == "" || res.Binlog.Position == 0 || res.Binlog.GTID == "" {
		t.Fatalf("dump recorded no binlog coordinates: %+v", res.Binlog)
	}
	t.Logf("%s: snapshot at %s:%d gtid %s, %d rows written in all", res.Consistency, res.Binlog.File, res.Binlog.Position, res.Binlog.GTID, last.Load())

	into := d.Name + "_r"
	root, err := srv.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if _, err := root.Exec("CREATE DATABASE `" + into + "`"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Exec("DROP DATABASE IF EXISTS `" + into + "`") })
	// the dump names its database in its header: load it into the copy
	sqlText := strings.Replace(out.String(), "USE `"+d.Name+"`;", "USE `"+into+"`;", 1)
	sqlText = strings.Replace(sqlText, "EXISTS*/ `"+d.Name+"`", "EXISTS*/ `"+into+"`", 1)
	testdb.LoadSQL(t, srv, into, strings.NewReader(sqlText))
	var inBackup int64
	root.QueryRow("SELECT COUNT(*) FROM `" + into + "`.seq WHERE n > 0").Scan(&inBackup)
	if inBackup == 0 || inBackup >= last.Load() {
		t.Fatalf("the backup holds %d of %d written rows: the dump did not start while the writer ran", inBackup, last.Load())
	}
	files := serverBinlogs(t, srv, res.Binlog.File)
	n, err := binlog.Replay(ctx, binlog.ReplayOptions{Files: files, StartPos: res.Binlog.Position,
		Source: d.Name, Target: into, Conn: binlog.Conn{User: "root", Socket: srv.Socket}})
	if err != nil {
		t.Fatal(err)
	}
	var rows, distinct, lo, hi int64
	if err := root.QueryRow("SELECT COUNT(*), COUNT(DISTINCT n), MIN(n), MAX(n) FROM `"+into+"`.seq WHERE n > 0").Scan(&rows, &distinct, &lo, &hi); err != nil {
		t.Fatal(err)
	}
	if rows != last.Load() || distinct != rows || lo != 1 || hi != last.Load() {
		t.Fatalf("after replay of %d transactions over %d files: %d rows, %d distinct, %d..%d; want each of 1..%d once",
			n, len(files), rows, distinct, lo, hi, last.Load())
	}
	if !bkEqual(bkChecksums(t, srv, into), bkChecksums(t, srv, d.Name)) {
		t.Fatal("restored + replayed database differs from the source (CHECKSUM TABLE)")
	}
	if len(files) < 2 {
		t.Fatalf("the log did not rotate during the test (%v): max_binlog_size not in force", files)
	}
}
