package engine

import (
	"context"
	"os"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestPruneKeepsTheArchiveTheOldestBackupNeeds: issue 15 item 2. prune
// removes archive files only when no kept backup replays from them and
// they are older than binlog.keep_days; the window stays whole.
func TestPruneKeepsTheArchiveTheOldestBackupNeeds(t *testing.T) {
	ctx := context.Background()
	srv := testdb.BinlogServer(t, "ROW", 0)
	d := testdb.NewOn(t, srv)
	d.MustExec(t, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
	for i := 0; i < 3; i++ {
		d.MustExec(t, "INSERT INTO t (v) VALUES (1)", "FLUSH BINARY LOGS")
	}
	e := pitrEngine(t, d)
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "INSERT INTO t (v) VALUES (2)", "FLUSH BINARY LOGS", "INSERT INTO t (v) VALUES (3)")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	m, _ := e.trustedManifest(b.Filename)
	before, _ := binlog.Files(e.binlogDir())
	res, err := e.Prune(ctx, PruneOptions{})
	if err != nil || len(res.BinlogDeleted) != 0 {
		t.Fatalf("prune within keep_days removed %v (%v)", res.BinlogDeleted, err)
	}
	e.Cfg.Binlog.KeepDays = 0
	res, err = e.Prune(ctx, PruneOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range before {
		if binlog.Number(f.Name) < binlog.Number(m.Binlog.File) {
			want = append(want, f.Name)
		}
	}
	if len(want) < 3 || len(res.BinlogDeleted) != len(want) {
		t.Fatalf("prune removed %v, want the %v before the backup's %s", res.BinlogDeleted, want, m.Binlog.File)
	}
	for _, f := range before {
		_, err := os.Stat(f.Path)
		if gone := os.IsNotExist(err); gone != (binlog.Number(f.Name) < binlog.Number(m.Binlog.File)) {
			t.Errorf("%s: removed %v, backup starts at %s", f.Name, gone, m.Binlog.File)
		}
	}
	w, err := e.RecoverableWindow(ctx, true)
	if err != nil || w.Base != b.Filename || len(w.Gaps) != 0 || w.Problem != "" {
		t.Fatalf("window after prune: %+v (%v)", w, err)
	}
}
