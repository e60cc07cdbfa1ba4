package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestRecoverableWindowGapRefusesRestore: issue 15 items 3 and 5. A
// missing archive file and a damaged one are gaps in the window, check
// warns about them, and a restore to a point past a gap is refused before
// anything changes, naming the file.
func TestRecoverableWindowGapRefusesRestore(t *testing.T) {
	ctx := context.Background()
	srv := testdb.BinlogServer(t, "ROW", 0)
	d := testdb.NewOn(t, srv)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)")
	e := pitrEngine(t, d)
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 5; i++ {
		d.MustExec(t, "INSERT INTO t VALUES ("+string(rune('0'+i))+", 1)", "FLUSH BINARY LOGS")
	}
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	w, err := e.RecoverableWindow(ctx, true)
	if err != nil || w == nil || w.Problem != "" || len(w.Gaps) != 0 || w.Base != b.Filename || !w.To.After(w.From.Add(-time.Second)) || w.Lag != 0 {
		t.Fatalf("window of a whole archive: %+v (%v)", w, err)
	}
	files, _ := binlog.Files(e.binlogDir())
	if len(files) < 5 {
		t.Fatalf("archive holds %d files after 4 rotations", len(files))
	}
	m, err := e.trustedManifest(b.Filename)
	if err != nil || m.Binlog == nil {
		t.Fatalf("backup manifest: %+v %v", m, err)
	}
	var mid binlog.File
	for _, f := range files {
		if f.Name > m.Binlog.File && f.Index != nil {
			mid = f
			break
		}
	}
	if mid.Name == "" {
		t.Fatalf("no finished file after the backup's %s in %v", m.Binlog.File, files)
	}
	os.Remove(mid.Path)
	os.Remove(mid.Path + binlog.IndexSuffix)
	w, _ = e.RecoverableWindow(ctx, false)
	if len(w.Gaps) != 1 || len(w.Gaps[0].Files) != 1 || w.Gaps[0].Files[0] != mid.Name {
		t.Fatalf("window with %s removed: %+v", mid.Name, w)
	}
	res, err := e.Check(ctx, CheckOptions{})
	if err != nil || !strings.Contains(res.Summary+problemsText(res), mid.Name) {
		t.Fatalf("check with a gap: %+v (%v), want a warning naming %s", res, err, mid.Name)
	}
	into := d.Name + "_gap"
	_, err = e.RestorePoint(ctx, "", PointOptions{At: time.Now().Add(time.Second), Into: into}, nil)
	if err == nil || !strings.Contains(err.Error(), mid.Name) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("restore past a gap: %v, want a refusal naming %s", err, mid.Name)
	}
	var n int
	d.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", into).Scan(&n)
	if n != 0 {
		t.Fatal("the refused restore created the target database")
	}

	// status says when the account cannot read the server's logs
	d.MustExec(t, "CREATE USER nobinlog@localhost IDENTIFIED BY 'pw-nobinlog'", "GRANT ALL ON `"+d.Name+"`.* TO nobinlog@localhost")
	cfg := *e.Cfg
	cfg.Database.User, cfg.Database.Password = "nobinlog", "pw-nobinlog"
	weak, err := Open(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer weak.Close()
	if w, err := weak.RecoverableWindow(ctx, false); err != nil || !strings.Contains(w.Server, "BINLOG MONITOR") {
		t.Fatalf("window for an account without BINLOG MONITOR: %+v (%v), want it said", w, err)
	}

	last := files[len(files)-2] // finished, after the gap: damage it
	if err := os.WriteFile(filepath.Join(e.binlogDir(), last.Name), []byte("not a binlog"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, _ = e.RecoverableWindow(ctx, true)
	if len(w.Gaps) != 2 || w.Gaps[1].Files[0] != last.Name || !strings.Contains(w.Gaps[1].Reason, "damaged") {
		t.Fatalf("window with %s damaged: %+v", last.Name, w.Gaps)
	}
}

func problemsText(r CheckResult) string {
	var b strings.Builder
	for _, p := range r.Problems {
		b.WriteString(p.Message + "\n")
	}
	return b.String()
}

// TestRestorePointRefusesAStatementOutsideTheDatabase: a statement in the
// log that ran in the database but names another one is not replayed into
// a copy (mariadb-binlog renames only the default database): the restore
// is refused before anything changes, naming the event.
func TestRestorePointRefusesAStatementOutsideTheDatabase(t *testing.T) {
	ctx := context.Background()
	srv := testdb.BinlogServer(t, "ROW", 0)
	d := testdb.NewOn(t, srv)
	other := testdb.NewOn(t, srv)
	other.MustExec(t, "CREATE TABLE victim (id INT PRIMARY KEY)")
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)")
	e := pitrEngine(t, d)
	if _, err := e.Backup(ctx, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	conn, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "ALTER TABLE `"+other.Name+"`.victim ADD COLUMN x INT"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err = e.PlanPointRestore(ctx, "", PointOptions{At: time.Now().Add(time.Second), Into: d.Name + "_c"})
	if err == nil || !strings.Contains(err.Error(), "names database") || !strings.Contains(err.Error(), other.Name) {
		t.Fatalf("plan over a statement naming %s: %v, want a refusal", other.Name, err)
	}
}
