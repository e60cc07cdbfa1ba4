package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestPITRRowsMatchAndReport runs the point-in-time rows with the real
// lifeboat binary on a tiny dataset plus 400 archived transactions, on a
// server of its own (they purge its binary logs): lifeboat's restore
// --until and the stock mariadb-binlog | mariadb replay both equal the
// source at the stop point (CHECKSUM TABLE), and the report has the
// table, the throughput line and binlog events' count.
func TestPITRRowsMatchAndReport(t *testing.T) {
	ctx := context.Background()
	srv := testdb.BinlogServer(t, "ROW", 8192) // a few archive files
	src := testdb.NewOn(t, srv)
	if _, err := loadDataset(ctx, src.DB, datasetOptions{Scale: 0.002, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	root, err := srv.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	b := &bench{srv: srv, db: root, src: src.Name, work: t.TempDir()}
	bin := filepath.Join(b.work, "lifeboat")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/lifeboat-dev/lifeboat/cmd/lifeboat").CombinedOutput(); err != nil {
		t.Fatalf("go build lifeboat: %v: %s", err, out)
	}
	b.prepareLifeboat(ctx, bin)
	if b.lifeboatErr != nil {
		t.Fatal(b.lifeboatErr)
	}
	saved := *pitrTransactions
	*pitrTransactions = 400
	defer func() { *pitrTransactions = saved }()

	var out, log bytes.Buffer
	mismatches := benchPITR(ctx, b, 1, &out, &log)
	report := out.String()
	if mismatches != 0 || strings.Contains(report, "n/a") || strings.Contains(log.String(), "MISMATCH") {
		t.Fatalf("point-in-time rows: %d mismatches\n%s\nlog:\n%s", mismatches, report, log.String())
	}
	for _, want := range []string{"### Point-in-time restore (400 transactions, ", "| lifeboat restore --until |",
		"| lifeboat (its replay_ms) | ", "| mariadb-binlog FILES \\| mariadb | ", " transactions/s | 1.00× |", "lifeboat binlog events over the archive: ",
		"for 400 transactions", "Restores checked against the source at the stop point with CHECKSUM TABLE: 2, mismatches: 0",
		"lifeboat replay ≤ 1.0× mariadb-binlog"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	var n int
	if err := root.QueryRow("SELECT COUNT(*) FROM `" + src.Name + "`." + pitrTable).Scan(&n); err != nil || n != 320 {
		t.Errorf("%s holds %d rows (%v), want the 320 INSERTs of 400 transactions", pitrTable, n, err)
	}
	t.Logf("report:\n%s", report)
}
