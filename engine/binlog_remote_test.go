package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/remote/s3test"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// offsitePITR is a binlog server with a small max_binlog_size, a database
// with an orders table, and an engine archiving it with remote "offsite"
// (prefix db1/) on s3.
func offsitePITR(t *testing.T, s3 *s3test.Server) (*testdb.DB, *Engine) {
	t.Helper()
	srv := testdb.BinlogServer(t, "ROW", 16384) // rotates many times
	d := testdb.NewOn(t, srv)
	d.MustExec(t, "CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer INT, amount DECIMAL(10,2), note VARCHAR(80))")
	e := pitrEngine(t, d)
	e.Cfg.Remotes = append(e.Cfg.Remotes, s3.Remote("offsite", "db1/"))
	return d, e
}

// orderWrites is a burst of inserts and updates, the round's marker in
// every note.
func orderWrites(t *testing.T, d *testdb.DB, round int) {
	t.Helper()
	for i := 0; i < 40; i++ {
		d.MustExec(t, fmt.Sprintf("INSERT INTO orders (customer, amount, note) VALUES (%d, %d.25, 'plain-marker round %d row %d')", i%7, i, round, i))
	}
	d.MustExec(t, fmt.Sprintf("UPDATE orders SET amount = amount + 1 WHERE customer = %d", round%7))
}

func fileSHA256(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestBinlogRemote01SyncPushesDiskLostRestoreUntilGTID: issue 15's
// "the archive goes off-site too". binlog sync pushes every finished file
// and its index (never the open one); with the archive deleted the window
// counts the remote copies and says where; with all of backup.dir deleted,
// restore --until-gtid of the bad DELETE pulls the base and the archive
// from the remote, checked, and equals the fingerprint.
func TestBinlogRemote01SyncPushesDiskLostRestoreUntilGTID(t *testing.T) {
	binlogRemoteDiskLost(t, false)
}

// TestBinlogRemote02EncryptedArchiveOffsite: with encryption on, the
// objects are age files (no row data readable on the remote), and the
// disk-loss restores decrypt them and equal the fingerprint. No backup is
// named: --until-gtid finds its base and the stop on the remote, and so
// does --at after the disk is lost once more.
func TestBinlogRemote02EncryptedArchiveOffsite(t *testing.T) {
	binlogRemoteDiskLost(t, true)
}

func binlogRemoteDiskLost(t *testing.T, encrypt bool) {
	ctx := context.Background()
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	if encrypt {
		identity, recipient := ageKey(t)
		e.Cfg.Encryption.Recipients, e.Cfg.Encryption.IdentityFile = []string{recipient}, identity
	}
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil || len(b.Offsite) != 1 || !b.Offsite[0].OK {
		t.Fatalf("backup: %+v, %v", b.Offsite, err)
	}
	for round := 1; round <= 3; round++ {
		orderWrites(t, d, round)
	}
	want := fingerprint(t, d.Server, d.Name)
	at := time.Now().Truncate(time.Second).Add(time.Second) // every write so far is before it
	time.Sleep(time.Until(at) + 50*time.Millisecond)
	d.MustExec(t, "DELETE FROM orders WHERE customer < 5")
	orderWrites(t, d, 4)
	d.MustExec(t, "FLUSH BINARY LOGS") // the DELETE's file is finished
	t0 := time.Now()
	res, err := e.BinlogSync(ctx, BinlogSyncOptions{})
	if err != nil || len(res.Offsite) != 1 || res.Offsite[0].Error != "" || len(res.Offsite[0].Pushed) < 3 {
		t.Fatalf("sync: %+v, %v", res.Offsite, err)
	}
	files, _ := binlog.Files(e.binlogDir())
	var size int64
	for _, f := range files {
		size += f.Size
	}
	t.Logf("sync and push of %d files (%d bytes, encrypted %v): %v", len(res.Offsite[0].Pushed), size, encrypt, time.Since(t0))
	for _, f := range files {
		obj, ixPath := s3.Path("db1/binlog/"+f.Name), s3.Path("db1/binlog/"+f.Name+".json")
		_, err := os.Stat(obj)
		if f.Index == nil {
			if err == nil {
				t.Errorf("the open file %s is on the remote", f.Name)
			}
			continue
		}
		var ix remoteBinlogIndex
		if b, err := os.ReadFile(ixPath); err != nil || json.Unmarshal(b, &ix) != nil || ix.Signature == nil || ix.SHA256 != f.Index.SHA256 {
			t.Fatalf("remote index of %s: %+v (%v)", f.Name, ix, err)
		}
		raw, err := os.ReadFile(obj)
		if err != nil {
			t.Fatalf("finished file %s is not on the remote: %v", f.Name, err)
		}
		if plain := fileSHA256(t, obj) == f.Index.SHA256; plain == encrypt || ix.Encrypted != encrypt {
			t.Fatalf("%s on the remote: same bytes as the archive %v, index says encrypted %v, want encrypted %v", f.Name, plain, ix.Encrypted, encrypt)
		}
		if encrypt && (bytes.Contains(raw, []byte("plain-marker")) || !bytes.HasPrefix(raw, []byte("age-encryption.org/v1"))) {
			t.Fatalf("%s on the remote is not an age file", f.Name)
		}
	}
	events, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name, Table: "orders"})
	var bad *BinlogEvent
	for i := range events {
		if events[i].Kind == "DELETE" && events[i].Rows > 50 {
			bad = &events[i]
		}
	}
	if err != nil || bad == nil {
		t.Fatalf("binlog events lists no big DELETE (%v)", err)
	}

	if err := os.RemoveAll(e.binlogDir()); err != nil { // the archive is lost
		t.Fatal(err)
	}
	w, err := e.RecoverableWindow(ctx, true)
	if err != nil || w.Problem != "" || w.Base != b.Filename || len(w.Gaps) != 0 || w.Offsite.Files < 3 ||
		len(w.Offsite.On) != 1 || w.Offsite.On[0] != "offsite" || !strings.Contains(w.Offsite.Summary(), "only off-site (on offsite)") {
		t.Fatalf("window with the archive only off-site: %+v (%v)", w, err)
	}
	again, err := e.BinlogEvents(ctx, BinlogEventsOptions{Database: d.Name, Table: "orders"})
	if err != nil || len(again) != len(events) || !slices.ContainsFunc(again, func(ev BinlogEvent) bool { return ev.GTID == bad.GTID }) {
		t.Fatalf("binlog events with the archive only off-site: %d events (want %d, the DELETE %s among them), %v", len(again), len(events), bad.GTID, err)
	}

	if err := os.RemoveAll(e.dir()); err != nil { // and then the whole disk
		t.Fatal(err)
	}
	if w, err := e.RecoverableWindow(ctx, false); err != nil || w.Base != b.Filename || w.Problem != "" {
		t.Fatalf("window from the remote alone: %+v (%v)", w, err)
	}
	opts := PointOptions{UntilGTID: bad.GTID, Into: d.Name + "_r"}
	base := b.Filename
	if encrypt {
		base = "" // found on the remote
	}
	t0 = time.Now()
	r, err := e.RestorePoint(ctx, base, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("restore --until-gtid from the remote alone (pull base and %d archive files, replay %d transactions): %v", len(r.Plan.Files), r.Plan.Transactions, time.Since(t0))
	root, _ := d.Server.Open("")
	defer root.Close()
	defer root.Exec("DROP DATABASE IF EXISTS `" + opts.Into + "`")
	if r.Plan.Base != b.Filename || r.Plan.Transactions < 100 || len(r.Plan.Files) < 3 {
		t.Fatalf("plan %+v: want the writes after the backup over several files", r.Plan)
	}
	if got := fingerprint(t, d.Server, opts.Into); !maps.Equal(got, want) {
		t.Fatalf("restore --until-gtid from the remote: fingerprint differs\n got %v\nwant %v", got, want)
	}
	pulled, _ := binlog.Files(e.binlogDir())
	for _, f := range pulled {
		if f.Index == nil || f.Damaged(true) != "" {
			t.Errorf("pulled %s: index %v, %s", f.Name, f.Index != nil, f.Damaged(true))
		}
	}
	if len(pulled) < 3 || len(auditActions(t, e.dir(), string(ActionPull))) < 2 { // the backup, then the archive
		t.Fatalf("pulled %d archive files; audit pull lines %d", len(pulled), len(auditActions(t, e.dir(), string(ActionPull))))
	}
	if !encrypt {
		return
	}
	if err := os.RemoveAll(e.dir()); err != nil { // lost again
		t.Fatal(err)
	}
	opts = PointOptions{At: at, Into: d.Name + "_a"}
	defer root.Exec("DROP DATABASE IF EXISTS `" + opts.Into + "`")
	if r, err = e.RestorePoint(ctx, "", opts, nil); err != nil || r.Plan.Base != b.Filename {
		t.Fatalf("restore --at from the remote alone: base %q, %v", r.Plan.Base, err)
	}
	if got := fingerprint(t, d.Server, opts.Into); !maps.Equal(got, want) {
		t.Fatalf("restore --at from the remote: fingerprint differs\n got %v\nwant %v", got, want)
	}
}

// TestBinlogRemote03TamperedObjectRefused: an archive object changed on
// the remote (same size) is never replayed: the restore plan refuses it,
// naming the sha256 mismatch, and it does not get a name in the archive.
func TestBinlogRemote03TamperedObjectRefused(t *testing.T) {
	ctx := context.Background()
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	orderWrites(t, d, 1)
	d.MustExec(t, "FLUSH BINARY LOGS")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	files, _ := binlog.Files(e.binlogDir())
	victim := files[len(files)-2] // the last finished file
	p := s3.Path("db1/binlog/" + victim.Name)
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, bytes.Replace(raw, []byte("plain-marker"), []byte("evil-marker!"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(e.binlogDir()); err != nil {
		t.Fatal(err)
	}
	_, err = e.PlanPointRestore(ctx, b.Filename, PointOptions{UntilPosition: victim.Name + ":999999999", Into: d.Name + "_x"})
	if err == nil || !strings.Contains(err.Error(), "sha256 mismatch") || !strings.Contains(err.Error(), victim.Name) {
		t.Fatalf("plan from a tampered remote archive: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.binlogDir(), victim.Name)); !os.IsNotExist(err) {
		t.Fatalf("the tampered %s was given its name in the archive: %v", victim.Name, err)
	}
}

// TestBinlogRemote04PruneAppliesRetentionOffsite: prune removes the
// remote archive files no backup kept there needs and older than
// binlog.keep_days, says so, and leaves the rest and the window whole.
func TestBinlogRemote04PruneAppliesRetentionOffsite(t *testing.T) {
	ctx := context.Background()
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	for i := 0; i < 3; i++ {
		d.MustExec(t, "INSERT INTO orders (note) VALUES ('old')", "FLUSH BINARY LOGS")
	}
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "INSERT INTO orders (note) VALUES ('new')", "FLUSH BINARY LOGS", "INSERT INTO orders (note) VALUES ('newer')", "FLUSH BINARY LOGS")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	m, _ := e.trustedManifest(b.Filename)
	before, _ := binlog.Files(e.binlogDir())
	onRemote := func(name string) bool {
		_, err := os.Stat(s3.Path("db1/binlog/" + name))
		_, ierr := os.Stat(s3.Path("db1/binlog/" + name + ".json"))
		return err == nil && ierr == nil
	}
	res, err := e.Prune(ctx, PruneOptions{})
	if err != nil || len(res.Remotes) != 1 || len(res.Remotes[0].BinlogDeleted) != 0 {
		t.Fatalf("prune within keep_days: %+v (%v)", res.Remotes, err)
	}
	e.Cfg.Binlog.KeepDays = 0
	dry, err := e.Prune(ctx, PruneOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err = e.Prune(ctx, PruneOptions{})
	if err != nil || res.Remotes[0].Error != "" {
		t.Fatalf("prune: %v %+v", err, res.Remotes)
	}
	var want []string
	for _, f := range before {
		if f.Index != nil && binlog.Number(f.Name) < binlog.Number(m.Binlog.File) {
			want = append(want, f.Name)
		}
	}
	got := res.Remotes[0].BinlogDeleted
	if len(want) < 3 || strings.Join(got, ",") != strings.Join(want, ",") || strings.Join(dry.Remotes[0].BinlogDeleted, ",") != strings.Join(want, ",") {
		t.Fatalf("remote prune removed %v (dry run said %v), want %v, the files before the backup's %s", got, dry.Remotes[0].BinlogDeleted, want, m.Binlog.File)
	}
	for _, f := range before {
		if f.Index == nil {
			continue
		}
		if kept := binlog.Number(f.Name) >= binlog.Number(m.Binlog.File); onRemote(f.Name) != kept {
			t.Errorf("%s: on the remote %v, want %v (backup starts at %s)", f.Name, onRemote(f.Name), kept, m.Binlog.File)
		}
	}
	said := false
	for _, a := range auditActions(t, e.dir(), string(ActionPrune)) {
		said = said || strings.HasPrefix(a.Detail, "remote offsite:") && strings.Contains(a.Detail, fmt.Sprintf("; %d binary-log archive files removed", len(want)))
	}
	if !said {
		t.Fatalf("no audit line of the remote prune says it removed %d archive files: %+v", len(want), auditActions(t, e.dir(), string(ActionPrune)))
	}
	if err := os.RemoveAll(e.binlogDir()); err != nil {
		t.Fatal(err)
	}
	w, err := e.RecoverableWindow(ctx, false)
	if err != nil || w.Base != b.Filename || len(w.Gaps) != 0 || w.Problem != "" {
		t.Fatalf("window from the pruned remote: %+v (%v)", w, err)
	}
}

// TestBinlogRemote05NotOffsiteIsAWarning: a remote that is down does not
// fail the sync; a finished file that is not off-site after the grace is
// a check warning, and the next sync copies it and the warning goes.
func TestBinlogRemote05NotOffsiteIsAWarning(t *testing.T) {
	ctx := context.Background()
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	if _, err := e.Backup(ctx, BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "INSERT INTO orders (note) VALUES ('a')", "FLUSH BINARY LOGS")
	s3.Kill()
	res, err := e.BinlogSync(ctx, BinlogSyncOptions{})
	if err != nil || len(res.Indexed) == 0 || len(res.Offsite) != 1 || res.Offsite[0].Error == "" {
		t.Fatalf("sync with the remote down: %+v, %v", res, err)
	}
	s3.Restart()
	old := binlogOffsiteGrace
	binlogOffsiteGrace = 0
	defer func() { binlogOffsiteGrace = old }()
	warned := func() string {
		c, err := e.Check(ctx, CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range c.Problems {
			if strings.Contains(p.Message, `not on remote "offsite"`) {
				return p.Message
			}
		}
		return ""
	}
	if msg := warned(); !strings.Contains(msg, res.Indexed[0]) {
		t.Fatalf("check with a finished file not off-site: %q", msg)
	}
	const metric = "lifeboat_binlog_archive_not_offsite_files"
	if n := gaugeOf(gatherText(t, e), metric, "remote", "offsite"); n < 1 {
		t.Fatalf("%s{remote=offsite} = %v, want the files not copied", metric, n)
	}
	res, err = e.BinlogSync(ctx, BinlogSyncOptions{})
	if err != nil || res.Offsite[0].Error != "" || len(res.Offsite[0].Pushed) == 0 {
		t.Fatalf("sync with the remote back: %+v, %v", res.Offsite, err)
	}
	if msg := warned(); msg != "" {
		t.Fatalf("check after the copy still warns: %q", msg)
	}
	if n := gaugeOf(gatherText(t, e), metric, "remote", "offsite"); n != 0 {
		t.Fatalf("%s{remote=offsite} = %v after the copy, want 0", metric, n)
	}
}

// TestBinlogRemote06FollowPushesEachFinishedFile: under --follow a file
// the server rotates is on the remote, with its index, within seconds,
// and the open file never is.
func TestBinlogRemote06FollowPushesEachFinishedFile(t *testing.T) {
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ticks := make(chan BinlogSynced, 100)
	done := make(chan error, 1)
	go func() {
		_, err := e.BinlogSync(ctx, BinlogSyncOptions{Follow: true, Tick: func(s BinlogSynced) {
			select {
			case ticks <- s:
			default:
			}
		}})
		done <- err
	}()
	first := <-ticks
	d.MustExec(t, "INSERT INTO orders (note) VALUES ('followed')", "FLUSH BINARY LOGS")
	archived := func(name string) bool {
		_, err := os.Stat(s3.Path("db1/binlog/" + name + ".json"))
		return err == nil
	}
	deadline := time.Now().Add(10 * time.Second)
	for !archived(first.Open) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if !archived(first.Open) {
		t.Fatalf("%s, finished under --follow, is not on the remote within 10 s", first.Open)
	}
	local, _ := binlog.Files(e.binlogDir())
	if got := fileSHA256(t, s3.Path("db1/binlog/"+first.Open)); got != fileSHA256(t, filepath.Join(e.binlogDir(), first.Open)) {
		t.Fatalf("the remote copy of %s differs from the archive", first.Open)
	}
	for _, f := range local {
		if _, err := os.Stat(s3.Path("db1/binlog/" + f.Name)); f.Index == nil && err == nil {
			t.Fatalf("the open file %s is on the remote", f.Name)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("follow after cancel: %v", err)
	}
}

// TestBinlogRemote07DamagedLocalFileReplacedFromTheRemote: a local
// archive file whose bytes changed (same size) is not replayed: the
// restore pulls the remote's good copy, sets the damaged one aside (not
// deleted), and the result equals the fingerprint.
func TestBinlogRemote07DamagedLocalFileReplacedFromTheRemote(t *testing.T) {
	ctx := context.Background()
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	orderWrites(t, d, 1)
	at := time.Now() // after every write
	want := fingerprint(t, d.Server, d.Name)
	d.MustExec(t, "FLUSH BINARY LOGS")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	files, _ := binlog.Files(e.binlogDir())
	victim := files[len(files)-2]
	raw, _ := os.ReadFile(victim.Path)
	bad := bytes.Replace(raw, []byte("plain-marker"), []byte("evil-marker!"), 1)
	if bytes.Equal(bad, raw) {
		t.Fatalf("%s holds no row of the writes", victim.Name)
	}
	if err := os.WriteFile(victim.Path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	opts := PointOptions{At: at, Into: d.Name + "_d"}
	if _, err := e.RestorePoint(ctx, b.Filename, opts, nil); err != nil {
		t.Fatal(err)
	}
	root, _ := d.Server.Open("")
	defer root.Close()
	defer root.Exec("DROP DATABASE IF EXISTS `" + opts.Into + "`")
	if got := fingerprint(t, d.Server, opts.Into); !maps.Equal(got, want) {
		t.Fatalf("restore over a damaged local file: fingerprint differs\n got %v\nwant %v", got, want)
	}
	if fileSHA256(t, victim.Path) != victim.Index.SHA256 {
		t.Fatalf("%s was not replaced by the remote's good copy", victim.Name)
	}
	aside, _ := filepath.Glob(victim.Path + ".replaced-*")
	if len(aside) != 1 || fileSHA256(t, aside[0]) == victim.Index.SHA256 {
		t.Fatalf("the damaged copy was not set aside: %v", aside)
	}
}

// TestBinlogRemoteRetryBacksOff: --follow tries a failed remote again
// after 1, 2, 4 ... minutes, never more than 30.
func TestBinlogRemoteRetryBacksOff(t *testing.T) {
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 6: 30 * time.Minute, 100: 30 * time.Minute} {
		if got := retryAfter(n); got != want {
			t.Errorf("retryAfter(%d) = %v, want %v", n, got, want)
		}
	}
}

// TestBinlogRemote08ChangedLocalFileIsNeverArchivedOffsite: a local
// file whose bytes no longer match its index is uploaded, fails the
// read-back check, and gets no index on the remote (nor stays there).
func TestBinlogRemote08ChangedLocalFileIsNeverArchivedOffsite(t *testing.T) {
	ctx := context.Background()
	s3 := s3test.Start(t)
	d, e := offsitePITR(t, s3)
	remotes := e.Cfg.Remotes
	e.Cfg.Remotes = nil
	orderWrites(t, d, 1)
	d.MustExec(t, "FLUSH BINARY LOGS")
	if _, err := e.BinlogSync(ctx, BinlogSyncOptions{}); err != nil {
		t.Fatal(err)
	}
	files, _ := binlog.Files(e.binlogDir())
	victim := files[len(files)-2]
	raw, _ := os.ReadFile(victim.Path)
	if err := os.WriteFile(victim.Path, bytes.Replace(raw, []byte("plain-marker"), []byte("evil-marker!"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	e.Cfg.Remotes = remotes
	res, err := e.BinlogSync(ctx, BinlogSyncOptions{})
	if err != nil || len(res.Offsite) != 1 || !strings.Contains(res.Offsite[0].Error, victim.Name) || !strings.Contains(res.Offsite[0].Error, "sha256 mismatch") {
		t.Fatalf("sync of a changed file: %+v, %v", res.Offsite, err)
	}
	for _, key := range []string{victim.Name, victim.Name + ".json"} {
		if _, err := os.Stat(s3.Path("db1/binlog/" + key)); !os.IsNotExist(err) {
			t.Errorf("%s is on the remote after a failed check: %v", key, err)
		}
	}
}
