package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// backupEngine builds an engine on d with backup.dir a fresh directory.
func backupEngine(t *testing.T, d *testdb.DB, comp string) *Engine {
	t.Helper()
	cfg := &config.Config{
		Database: config.Database{Socket: d.Server.Socket, User: "root", Name: d.Name},
		Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Keep: 20, Compression: comp,
			Timezone: "Local", StaleAfter: config.Duration{Duration: 26 * time.Hour}},
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func bkTorture(t *testing.T) *testdb.DB {
	t.Helper()
	d := testdb.New(t)
	f, err := os.Open("dump/testdata/torture.sql")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	testdb.LoadSQL(t, d.Server, d.Name, f)
	return d
}

// bkChecksums is CHECKSUM TABLE of every base table of db.
func bkChecksums(t *testing.T, srv *sandbox.Server, db string) map[string]string {
	t.Helper()
	pool, err := srv.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	rows, err := pool.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", db)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	out := map[string]string{}
	for _, tn := range tables {
		var name, sum string
		q := "CHECKSUM TABLE `" + strings.ReplaceAll(tn, "`", "``") + "` EXTENDED"
		if err := pool.QueryRow(q).Scan(&name, &sum); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out[tn] = sum
	}
	return out
}

func bkManifest(t *testing.T, dir, name string) catalog.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+catalog.ManifestSuffix))
	if err != nil {
		t.Fatal(err)
	}
	var m catalog.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func bkSHA(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// bkDirNames lists the backup directory without the lock and audit files.
func bkDirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range ents {
		if n := en.Name(); !strings.HasPrefix(n, catalog.LockName) && n != audit.FileName {
			out = append(out, n)
		}
	}
	return out
}

func TestBackupTortureEveryCompression(t *testing.T) {
	src := bkTorture(t)
	want := bkChecksums(t, src.Server, src.Name)
	dst := testdb.NewServer(t, sandbox.Options{})
	for _, comp := range []string{"gzip", "zstd", "none"} {
		e := backupEngine(t, src, comp)
		var last progress.Snapshot
		res, err := e.Backup(context.Background(), BackupOptions{}, func(s progress.Snapshot) { last = s })
		if err != nil {
			t.Fatalf("%s: %v", comp, err)
		}
		if !strings.HasSuffix(res.Filename, catalog.Extension(comp)) {
			t.Errorf("%s: file name %s", comp, res.Filename)
		}
		st, err := os.Stat(res.Path)
		if err != nil || st.Mode().Perm() != 0o600 || st.Size() != res.Size {
			t.Fatalf("%s: file %v mode %v size %d, want 0600 and %d", comp, err, st.Mode(), st.Size(), res.Size)
		}
		if dst, _ := os.Stat(e.dir()); dst.Mode().Perm() != 0o700 {
			t.Errorf("backup.dir mode %v, want 0700", dst.Mode().Perm())
		}
		m := bkManifest(t, e.dir(), res.Filename)
		if m.SHA256 != bkSHA(t, res.Path) || m.Size != res.Size || m.Filename != res.Filename {
			t.Errorf("%s: manifest does not match the file: %+v", comp, m)
		}
		if m.Tables["ints"] != 4 || m.Rows != res.Rows || m.Compression != comp || m.CreatedBy != e.Who.Login ||
			m.Binlog == nil || m.ServerVersion == "" || m.Consistency == "" || m.Reason != "manual" {
			t.Errorf("%s: manifest fields: %+v", comp, m)
		}
		if _, off := m.CreatedAt.Zone(); off != func() int { _, o := time.Now().Zone(); return o }() {
			t.Errorf("created_at zone offset %d", off)
		}
		if !last.Done || last.Rows != res.Rows || last.TablesDone == 0 || last.Bytes == 0 {
			t.Errorf("%s: final progress %+v", comp, last)
		}
		if names := bkDirNames(t, e.dir()); len(names) != 2 {
			t.Errorf("%s: directory holds %v, want the file and its manifest", comp, names)
		}
		bkRestore(t, dst, res.Path, comp)
		if got := bkChecksums(t, dst, src.Name); !bkEqual(want, got) {
			t.Errorf("%s: checksums differ after restore:\nwant %v\ngot  %v", comp, want, got)
		}
		root, _ := dst.Open("")
		root.Exec("DROP DATABASE `" + src.Name + "`")
		root.Close()
		// Only the create: an auto-prune that removed nothing writes no line (issue 16).
		ents, _ := audit.Read(e.dir(), 0)
		if len(ents) != 1 || ents[0].Action != "create" || ents[0].Result != "ok" || ents[0].Object != res.Filename ||
			ents[0].OSUser != e.Who.Login {
			t.Errorf("%s: audit %+v", comp, ents)
		}
	}
}

// bkRestore restores like a sysadmin would: gzip -dc FILE | mariadb for
// gzip, the library reader for the others.
func bkRestore(t *testing.T, dst *sandbox.Server, path, comp string) {
	t.Helper()
	if comp == "gzip" {
		out, err := exec.Command("gzip", "-dc", path).Output()
		if err != nil {
			t.Fatalf("gzip -dc: %v", err)
		}
		testdb.LoadSQL(t, dst, "", bytes.NewReader(out))
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := catalog.NewReader(f, comp)
	if err != nil {
		t.Fatal(err)
	}
	testdb.LoadSQL(t, dst, "", r)
}

func bkEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func bkBigTable(t *testing.T) *testdb.DB {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(200))",
		"INSERT INTO big SELECT seq, REPEAT('x', 150) FROM seq_1_to_400000")
	return d
}

// bkNothingLeft checks the directory holds exactly keep (no partial,
// no manifest of a failed backup).
func bkNothingLeft(t *testing.T, dir string, keep ...string) {
	t.Helper()
	got := bkDirNames(t, dir)
	if strings.Join(got, ",") != strings.Join(keep, ",") {
		t.Errorf("directory holds %v, want %v", got, keep)
	}
}

func TestBackupKilledConnection(t *testing.T) {
	d := bkBigTable(t)
	e := backupEngine(t, d, "gzip")
	done := make(chan error, 1)
	go func() {
		_, err := e.Backup(context.Background(), BackupOptions{}, nil)
		done <- err
	}()
	killed := 0
	deadline := time.Now().Add(20 * time.Second)
	for killed == 0 && time.Now().Before(deadline) {
		var id int64
		err := d.QueryRow("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT /*!40001 SQL_NO_CACHE */%FROM `big`%' LIMIT 1").Scan(&id)
		if err == nil {
			if _, err := d.Exec("KILL ?", id); err == nil {
				killed++
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	if killed == 0 {
		t.Fatal("never saw the dump's SELECT to kill it")
	}
	err := <-done
	if err == nil {
		t.Fatal("backup succeeded although its connection was killed")
	}
	if !strings.Contains(err.Error(), "big") {
		t.Errorf("error does not name the table: %v", err)
	}
	bkNothingLeft(t, e.dir())
	ents, _ := audit.Read(e.dir(), 1)
	if len(ents) != 1 || ents[0].Result != "failed" {
		t.Errorf("audit %+v", ents)
	}
}

func TestBackupCancelled(t *testing.T) {
	d := bkBigTable(t)
	e := backupEngine(t, d, "zstd")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var cancelledAt time.Time
	var mu sync.Mutex
	var rowsAtCancel, rowsLast int64
	_, err := e.Backup(ctx, BackupOptions{}, func(s progress.Snapshot) {
		mu.Lock()
		defer mu.Unlock()
		rowsLast = s.Rows
		if s.Rows > 0 {
			once.Do(func() { cancelledAt, rowsAtCancel = time.Now(), s.Rows; cancel() })
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if cancelledAt.IsZero() {
		t.Fatal("cancelled before any row was read")
	}
	// Stopping means not reading on to the end; how fast is for make
	// bench, not a wall-clock limit here (issue 21 item 13).
	mu.Lock()
	defer mu.Unlock()
	t.Logf("cancelled at %d rows, stopped at %d, %v later", rowsAtCancel, rowsLast, time.Since(cancelledAt))
	if rowsLast >= 400000 {
		t.Errorf("the backup read all %d rows of big after it was cancelled at %d", rowsLast, rowsAtCancel)
	}
	bkNothingLeft(t, e.dir())
	ents, _ := audit.Read(e.dir(), 1)
	if len(ents) != 1 || ents[0].Result != "cancelled" {
		t.Errorf("audit %+v", ents)
	}
}

// bkFullFile fails like a full disk once limit bytes are written.
type bkFullFile struct {
	backupFile
	limit, n int
	path     string
}

func (f *bkFullFile) Write(p []byte) (int, error) {
	if f.n+len(p) > f.limit {
		return 0, safefile.Explain(&os.PathError{Op: "write", Path: f.path, Err: syscall.ENOSPC}, f.path)
	}
	f.n += len(p)
	return f.backupFile.Write(p)
}

func TestBackupDiskFull(t *testing.T) {
	d := bkBigTable(t)
	for _, comp := range []string{"none", "gzip"} {
		e := backupEngine(t, d, comp)
		first, err := e.Backup(context.Background(), BackupOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := bkSHA(t, first.Path)
		orig := createFile
		createFile = func(dir, name string) (backupFile, error) {
			f, err := orig(dir, name)
			if err != nil {
				return nil, err
			}
			return &bkFullFile{backupFile: f, limit: 1 << 20, path: filepath.Join(dir, name+safefile.PartialSuffix)}, nil
		}
		_, err = e.Backup(context.Background(), BackupOptions{}, nil)
		createFile = orig
		if !errors.Is(err, safefile.ErrNoSpace) || !strings.Contains(err.Error(), "no space left") {
			t.Fatalf("%s: want a clear no-space error, got %v", comp, err)
		}
		t.Logf("%s: %v", comp, err)
		bkNothingLeft(t, e.dir(), first.Filename, first.Filename+catalog.ManifestSuffix)
		if bkSHA(t, first.Path) != sum {
			t.Errorf("%s: the earlier backup changed", comp)
		}
	}
}

func TestBackupReadOnlyDir(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	e := backupEngine(t, d, "gzip")
	first, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := bkSHA(t, first.Path)
	if os.Geteuid() == 0 { // root ignores modes: make the directory a read-only mount
		if out, err := exec.Command("mount", "--bind", e.dir(), e.dir()).CombinedOutput(); err != nil {
			t.Fatalf("mount --bind: %v %s", err, out)
		}
		defer exec.Command("umount", e.dir()).Run()
		if out, err := exec.Command("mount", "-o", "remount,bind,ro", e.dir()).CombinedOutput(); err != nil {
			t.Fatalf("remount ro: %v %s", err, out)
		}
	} else {
		os.Chmod(e.dir(), 0o500)
		defer os.Chmod(e.dir(), 0o700)
	}
	_, err = e.Backup(context.Background(), BackupOptions{}, nil)
	if err == nil {
		t.Fatal("backup into a read-only directory succeeded")
	}
	t.Log(err)
	if msg := err.Error(); !strings.Contains(msg, "read-only file system") && !strings.Contains(msg, "permission denied") {
		t.Errorf("error does not say the directory is read-only: %v", err)
	}
	if bkSHA(t, first.Path) != sum {
		t.Error("the earlier backup changed")
	}
	bkNothingLeft(t, e.dir(), first.Filename, first.Filename+catalog.ManifestSuffix)
}

// TestBackupSameSecond starts two backups at once: the second waits for
// the directory lock, and the names never collide.
func TestBackupSameSecond(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	e := backupEngine(t, d, "gzip")
	var wg sync.WaitGroup
	results := make([]BackupResult, 3)
	errs := make([]error, 3)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = e.Backup(context.Background(), BackupOptions{NoPrune: true}, nil)
		}(i)
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("backup %d: %v", i, errs[i])
		}
		if seen[r.Filename] {
			t.Fatalf("two backups share %s", r.Filename)
		}
		seen[r.Filename] = true
		if m := bkManifest(t, e.dir(), r.Filename); m.SHA256 != bkSHA(t, r.Path) {
			t.Errorf("%s: manifest sha256 does not match", r.Filename)
		}
	}
	if n := len(bkDirNames(t, e.dir())); n != 6 {
		t.Errorf("directory holds %d files, want 6", n)
	}
}
