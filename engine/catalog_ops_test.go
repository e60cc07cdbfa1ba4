package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// catFixture is a real database, its mariadb-dump output, and an engine
// whose backup.dir is a fresh temporary directory.
type catFixture struct {
	e    *Engine
	dir  string
	db   *testdb.DB
	sql  []byte           // the dump, uncompressed
	rows map[string]int64 // rows per table in the dump
}

// catSetup dumps a small database with the stock mariadb-dump. Until
// e.Backup is used here, the dump plus a computed manifest stands in for a
// lifeboat backup: same file layout, same manifest fields.
func catSetup(t *testing.T) *catFixture {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50))",
		"CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, note TEXT)",
		"INSERT INTO customers VALUES (1,'Ann'),(2,'Bob'),(3,'O''Brien')",
	)
	var vals []string
	for i := 1; i <= 250; i++ {
		vals = append(vals, fmt.Sprintf("(%d,%d,'note %d; (x),(y)')", i, i%3+1, i))
	}
	d.MustExec(t, "INSERT INTO orders VALUES "+strings.Join(vals, ","))
	var out, stderr bytes.Buffer
	cmd := exec.Command("mariadb-dump", "--socket="+d.Server.Socket, "-uroot", "--single-transaction", "--databases", d.Name)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
	}
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		Database: config.Database{Socket: d.Server.Socket, User: "root", Name: d.Name},
		Backup:   config.Backup{Dir: dir, Keep: 20, Compression: "gzip", Timezone: "Local", StaleAfter: config.Duration{Duration: 26 * time.Hour}},
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &catFixture{e: e, dir: dir, db: d, sql: out.Bytes(), rows: map[string]int64{"customers": 3, "orders": 250}}
}

func catGzip(t *testing.T, sql []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := catalog.NewWriter(&buf, "gzip")
	if err != nil {
		t.Fatal(err)
	}
	w.Write(sql)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// backup writes sql (gzipped) as the lifeboat backup taken at `at`, with
// a manifest computed from the file.
func (f *catFixture) backup(t *testing.T, at time.Time, sql []byte) string {
	t.Helper()
	name := catalog.BackupName(at.In(f.e.Loc), "gzip")
	file := catGzip(t, sql)
	if err := os.WriteFile(filepath.Join(f.dir, name), file, 0o600); err != nil {
		t.Fatal(err)
	}
	f.writeManifest(t, name, file)
	return name
}

func (f *catFixture) writeManifest(t *testing.T, name string, file []byte) {
	t.Helper()
	at, _ := catalog.ParseBackupTime(name, f.e.Loc)
	sum := sha256.Sum256(file)
	m := &catalog.Manifest{FormatVersion: catalog.FormatVersion, ToolVersion: Version, ServerVersion: f.db.Server.Version,
		Databases: []string{f.db.Name}, Tables: f.rows, Rows: 253, Filename: name, Compression: "gzip",
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(file)), CreatedAt: at, CreatedBy: "tester", Reason: "manual"}
	if err := f.e.saveManifest(m); err != nil { // signed by this engine's key, as a real backup
		t.Fatal(err)
	}
}

func (f *catFixture) states(t *testing.T) map[string]catalog.State {
	t.Helper()
	list, err := f.e.List(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]catalog.State{}
	for _, b := range list {
		out[b.Filename] = b.State
	}
	return out
}

func failedChecks(res VerifyResult) []string {
	var out []string
	for _, c := range res.Checks {
		if !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}

func catHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestCatalogListStates(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	base := time.Now().Add(-10 * time.Hour).Truncate(time.Second)
	complete := f.backup(t, base, f.sql)
	verified := f.backup(t, base.Add(time.Hour), f.sql)
	corrupt := f.backup(t, base.Add(2*time.Hour), f.sql)
	incomplete := catalog.BackupName(base.Add(3*time.Hour), "gzip")
	os.WriteFile(filepath.Join(f.dir, incomplete), catGzip(t, f.sql[:len(f.sql)/2]), 0o600)
	partial := catalog.BackupName(base.Add(4*time.Hour), "gzip") + ".partial"
	os.WriteFile(filepath.Join(f.dir, partial), []byte("in progress"), 0o600)
	os.WriteFile(filepath.Join(f.dir, "mysqldump-nightly.sql"), f.sql, 0o600)

	if res, err := f.e.Verify(ctx, verified, VerifyOptions{}, nil); err != nil || !res.OK {
		t.Fatalf("verify good backup: %v %+v", err, res.Checks)
	}
	p := filepath.Join(f.dir, corrupt)
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0x01 // same size: only a verify can tell
	os.WriteFile(p, b, 0o600)
	if res, err := f.e.Verify(ctx, corrupt, VerifyOptions{}, nil); err != nil || res.OK {
		t.Fatalf("verify flipped backup: err %v, ok %v", err, res.OK)
	}

	list, err := f.e.List(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name  string
		state catalog.State
	}{{"mysqldump-nightly.sql", catalog.StateForeign}, {incomplete, catalog.StateIncomplete},
		{corrupt, catalog.StateCorrupt}, {verified, catalog.StateVerified}, {complete, catalog.StateComplete}}
	if len(list) != len(want) {
		t.Fatalf("listed %d backups, want %d (the .partial must not show): %+v", len(list), len(want), list)
	}
	for i, w := range want {
		if list[i].Filename != w.name || list[i].State != w.state {
			t.Errorf("list[%d] = %s %s, want %s %s", i, list[i].Filename, list[i].State, w.name, w.state)
		}
	}
	c := list[4]
	if c.Rows != 253 || c.CreatedBy != "tester" || c.Path != filepath.Join(f.dir, complete) || c.Manifest == nil ||
		!c.CreatedAt.Equal(base) || c.Size <= 0 {
		t.Errorf("complete entry fields: %+v", c)
	}
	if list[2].Problem == "" || list[1].Problem == "" {
		t.Errorf("corrupt and incomplete entries must say why: %q, %q", list[2].Problem, list[1].Problem)
	}
	if got, _ := f.e.List(ctx, 2); len(got) != 2 || got[0].Filename != "mysqldump-nightly.sql" {
		t.Errorf("limit 2: %+v", got)
	}
	// A malformed manifest is incomplete, never a panic or an error.
	os.WriteFile(filepath.Join(f.dir, complete+".json"), []byte(`{"filename": 7`), 0o600)
	if s := f.states(t)[complete]; s != catalog.StateIncomplete {
		t.Errorf("malformed manifest: state %s", s)
	}
}

func TestCatalogVerifyCatchesDamage(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	base := time.Now().Add(-5 * time.Hour).Truncate(time.Second)

	good := f.backup(t, base, f.sql)
	var snaps []progress.Snapshot
	res, err := f.e.Verify(ctx, good, VerifyOptions{}, func(s progress.Snapshot) { snaps = append(snaps, s) })
	if err != nil || !res.OK {
		t.Fatalf("good backup: %v %+v", err, res.Checks)
	}
	var names []string
	for _, c := range res.Checks {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "manifest,sha256,decompress,completion line,row counts,statements allowed,statements fit max_allowed_packet" {
		t.Errorf("checks %v", names)
	}
	if len(snaps) == 0 || !snaps[len(snaps)-1].Done || snaps[len(snaps)-1].Bytes == 0 {
		t.Errorf("progress: %+v", snaps)
	}
	m, _ := catalog.ReadManifest(f.dir, good)
	if m.Verify == nil || !m.Verify.OK || m.Verify.By != f.e.Who.Login {
		t.Errorf("verify not recorded: %+v", m.Verify)
	}

	flipped := f.backup(t, base.Add(time.Hour), f.sql)
	p := filepath.Join(f.dir, flipped)
	b, _ := os.ReadFile(p)
	b[len(b)/3] ^= 0x40
	os.WriteFile(p, b, 0o600)

	truncated := f.backup(t, base.Add(2*time.Hour), f.sql)
	p = filepath.Join(f.dir, truncated)
	b, _ = os.ReadFile(p)
	os.WriteFile(p, b[:len(b)-200], 0o600)

	// A dump cut before its last line, with a manifest that matches the cut
	// file: only the completion line can catch it.
	cut := bytes.TrimRight(f.sql, "\n")
	noEnd := f.backup(t, base.Add(3*time.Hour), cut[:bytes.LastIndexByte(cut, '\n')+1])

	cases := []struct {
		name string
		want []string
	}{
		{flipped, []string{"sha256", "decompress"}},
		{truncated, []string{"sha256", "completion line"}},
		{noEnd, []string{"completion line"}},
	}
	for _, c := range cases {
		res, err := f.e.Verify(ctx, c.name, VerifyOptions{}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := failedChecks(res)
		for _, w := range c.want {
			if res.OK || !catHas(got, w) {
				t.Errorf("%s: failed checks %v, want %v among them", c.name, got, c.want)
			}
		}
		if c.name == noEnd && len(got) != 1 {
			t.Errorf("missing completion line: failed checks %v, want only it", got)
		}
	}
	st := f.states(t)
	for _, c := range cases {
		if st[c.name] != catalog.StateCorrupt {
			t.Errorf("%s: state %s after a failed verify, want corrupt", c.name, st[c.name])
		}
	}
	if st[good] != catalog.StateVerified {
		t.Errorf("good: state %s", st[good])
	}

	// A foreign file: what can be checked is checked; it stays foreign.
	os.WriteFile(filepath.Join(f.dir, "nightly.sql.gz"), catGzip(t, f.sql), 0o600)
	res, err = f.e.Verify(ctx, "nightly.sql.gz", VerifyOptions{}, nil)
	if err != nil || !res.OK || len(res.Checks) != 4 {
		t.Errorf("foreign verify: %v %+v", err, res.Checks)
	}
	if s := f.states(t)["nightly.sql.gz"]; s != catalog.StateForeign {
		t.Errorf("foreign after verify: %s", s)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "nightly.sql.gz.json")); !os.IsNotExist(err) {
		t.Error("verify wrote a manifest for a foreign file")
	}
}

func TestCatalogVerifyRestore(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	base := time.Now().Add(-5 * time.Hour).Truncate(time.Second)
	good := f.backup(t, base, f.sql)
	res, err := f.e.Verify(ctx, good, VerifyOptions{Restore: true}, nil)
	if err != nil || !res.OK {
		t.Fatalf("verify --restore of a good backup: %v %+v", err, res.Checks)
	}
	var restoreChecks []string
	for _, c := range res.Checks[7:] { // after the one-pass checks
		restoreChecks = append(restoreChecks, c.Name)
		if c.Name == "checksums" && (!c.OK || !strings.Contains(c.Detail, "bit for bit")) {
			t.Errorf("checksums detail: %q", c.Detail)
		}
	}
	if strings.Join(restoreChecks, ",") != "restore,objects,restored row counts,checksums" {
		t.Errorf("restore checks %v", restoreChecks)
	}
	if m, _ := catalog.ReadManifest(f.dir, good); m.Verify == nil || !m.Verify.Restore || !m.Verify.OK {
		t.Errorf("restore verify not recorded: %+v", m.Verify)
	}

	// Rows removed from the SQL and the manifest's sha256 made to match:
	// the stream's counts and the restored counts both catch it.
	doctoredSQL := bytes.Replace(f.sql, []byte("(7,2,'note 7; (x),(y)'),"), nil, 1)
	if bytes.Equal(doctoredSQL, f.sql) {
		t.Fatal("doctoring found nothing to remove")
	}
	doctored := f.backup(t, base.Add(time.Hour), doctoredSQL)
	res, err = f.e.Verify(ctx, doctored, VerifyOptions{Restore: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := failedChecks(res)
	if res.OK || fmt.Sprint(got) != "[row counts restored row counts]" {
		t.Errorf("doctored backup: failed checks %v", got)
	}
	if s := f.states(t)[doctored]; s != catalog.StateCorrupt {
		t.Errorf("doctored: state %s", s)
	}
}

func catDirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		out = append(out, de.Name())
	}
	sort.Strings(out)
	return out
}

func TestCatalogPrune(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	base := time.Now().Add(-100 * time.Hour).Truncate(time.Second)
	var names []string
	for i := 0; i < 6; i++ {
		names = append(names, f.backup(t, base.Add(time.Duration(i)*time.Hour), f.sql))
	}
	// The second oldest is the only verified one: prune must keep it.
	if res, err := f.e.Verify(ctx, names[1], VerifyOptions{}, nil); err != nil || !res.OK {
		t.Fatalf("verify: %v %+v", err, res)
	}
	old := base.Add(-24 * time.Hour)
	os.WriteFile(filepath.Join(f.dir, "foreign-old.sql.gz"), catGzip(t, f.sql), 0o600)
	os.Chtimes(filepath.Join(f.dir, "foreign-old.sql.gz"), old, old)
	incomplete := catalog.BackupName(old, "gzip")
	os.WriteFile(filepath.Join(f.dir, incomplete), []byte("cut"), 0o600)
	partial := catalog.BackupName(old.Add(time.Minute), "gzip") + ".partial"
	os.WriteFile(filepath.Join(f.dir, partial), []byte("writing"), 0o600)

	before := catDirNames(t, f.dir)
	dry, err := f.e.Prune(ctx, PruneOptions{Keep: 2, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{names[3], names[2], names[0]}
	if fmt.Sprint(dry.Deleted) != fmt.Sprint(want) || !dry.DryRun || dry.FilesBefore != 6 || dry.FilesAfter != 3 || dry.Keep != 2 {
		t.Errorf("dry run: %+v, want deleted %v", dry, want)
	}
	if after := catDirNames(t, f.dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("dry run changed the directory:\nbefore %v\nafter  %v", before, after)
	}

	// A backup finishes between the dry run and the confirmed prune: only
	// what the dry run showed goes.
	newest := f.backup(t, base.Add(10*time.Hour), f.sql)
	res, err := f.e.Prune(ctx, PruneOptions{Keep: 2, Only: dry.Deleted})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, names[4])); err != nil {
		t.Fatalf("confirmed prune removed %s, which the dry run did not show", names[4])
	}
	if err := f.e.Delete(ctx, newest); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Deleted) != fmt.Sprint(want) || res.SpaceFreed <= 0 || res.FilesBefore != 7 || res.FilesAfter != 4 {
		t.Errorf("prune: %+v", res)
	}
	for _, n := range want {
		for _, p := range []string{n, n + ".json"} {
			if _, err := os.Stat(filepath.Join(f.dir, p)); !os.IsNotExist(err) {
				t.Errorf("%s still there after prune", p)
			}
		}
	}
	for _, n := range []string{names[1], names[1] + ".json", names[4], names[5], "foreign-old.sql.gz", incomplete, partial} {
		if _, err := os.Stat(filepath.Join(f.dir, n)); err != nil {
			t.Errorf("prune removed %s, which it must keep", n)
		}
	}
	// keep from the config when opts.Keep is 0.
	f.e.Cfg.Backup.Keep = 1
	res, err = f.e.Prune(ctx, PruneOptions{})
	if err != nil || fmt.Sprint(res.Deleted) != fmt.Sprint([]string{names[4]}) || res.Keep != 1 {
		t.Errorf("prune with backup.keep=1: %v %+v (the verified %s stays)", err, res, names[1])
	}
}

// A prune that starts while a backup holds the directory lock waits for
// it, and the backup written under the lock is not lost.
func TestCatalogPruneWhileBackupRuns(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	base := time.Now().Add(-10 * time.Hour).Truncate(time.Second)
	for i := 0; i < 3; i++ {
		f.backup(t, base.Add(time.Duration(i)*time.Hour), f.sql)
	}
	lk, err := catalog.LockDir(ctx, f.dir, "backup", 0)
	if err != nil {
		t.Fatal(err)
	}
	// The "backup" writes its partial file now, and finishes only once
	// prune is seen waiting for the lock (issue 21 item 12): no sleep, no
	// timing, nothing failing from another goroutine.
	newest := catalog.BackupName(base.Add(5*time.Hour), "gzip")
	os.WriteFile(filepath.Join(f.dir, newest+".partial"), []byte("..."), 0o600)
	waiting := make(chan struct{})
	var once sync.Once
	catalog.BusyHook = func(action string) {
		if action == "prune" {
			once.Do(func() { close(waiting) })
		}
	}
	defer func() { catalog.BusyHook = nil }()
	saved := lockWait
	lockWait = 2 * time.Minute // a hang guard, not a timing
	type pruned struct {
		res PruneResult
		err error
	}
	out := make(chan pruned, 1)
	go func() {
		res, err := f.e.Prune(ctx, PruneOptions{Keep: 1})
		out <- pruned{res, err}
	}()
	select {
	case <-waiting:
	case p := <-out:
		t.Fatalf("prune did not wait for the backup's lock: %+v, %v", p.res, p.err)
	case <-time.After(2 * time.Minute):
		t.Fatal("prune neither waited nor ended")
	}
	os.Remove(filepath.Join(f.dir, newest+".partial"))
	f.backup(t, base.Add(5*time.Hour), f.sql)
	lk.Unlock()
	var p pruned
	select {
	case p = <-out:
	case <-time.After(2 * time.Minute):
		t.Fatal("prune did not end after the lock was released")
	}
	lockWait = saved
	res, err := p.res, p.err
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deleted) != 3 || catHas(res.Deleted, newest) {
		t.Errorf("prune after the backup: deleted %v", res.Deleted)
	}
	if s := f.states(t); s[newest] != catalog.StateComplete || len(s) != 1 {
		t.Errorf("after prune: %v", s)
	}

	// A backup that holds on past the wait: prune refuses, clearly.
	lk, err = catalog.LockDir(ctx, f.dir, "backup", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	lockWait = 300 * time.Millisecond
	defer func() { lockWait = saved }()
	_, err = f.e.Prune(ctx, PruneOptions{Keep: 1})
	if !errors.Is(err, catalog.ErrBusy) || !strings.Contains(err.Error(), "backup pid") {
		t.Errorf("prune during a long backup: %v", err)
	}
	if s := f.states(t); len(s) != 1 {
		t.Errorf("refused prune touched files: %v", s)
	}
}

func TestCatalogDeleteRefuses(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	name := f.backup(t, time.Now().Add(-time.Hour), f.sql)
	bad, keep := plantBadNames(t, f.dir, name)
	for _, b := range bad {
		checkRefused(t, "Delete", b, f.e.Delete(ctx, b.name))
	}
	checkStillThere(t, keep)
	if err := f.e.Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{name, name + ".json"} {
		if _, err := os.Stat(filepath.Join(f.dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s left after delete", p)
		}
	}
	if err := f.e.Delete(ctx, name); err == nil {
		t.Error("deleting twice succeeded")
	}
}

func TestCatalogCat(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	name := f.backup(t, time.Now().Add(-time.Hour), f.sql)
	want, _ := os.ReadFile(filepath.Join(f.dir, name))
	var got bytes.Buffer
	if err := f.e.Cat(ctx, name, &got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("cat: %d bytes, file has %d, or they differ", got.Len(), len(want))
	}
	got.Reset()
	bad, keep := plantBadNames(t, f.dir, name)
	for _, b := range bad {
		checkRefused(t, "Cat", b, f.e.Cat(ctx, b.name, &got))
		if got.Len() > 0 {
			t.Errorf("cat %q wrote %d bytes", b.name, got.Len())
			got.Reset()
		}
	}
	checkStillThere(t, keep)
}

func TestCatalogStatus(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	st, err := f.e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !st.DirExists || !st.DirWritable || st.FreeBytes == 0 || !st.ServerOK || !strings.Contains(st.ServerVersion, "MariaDB") ||
		st.Total != 0 || !st.Stale || st.Keep != 20 || len(st.Warnings) != 1 {
		t.Errorf("empty directory: %+v", st)
	}
	old := f.backup(t, time.Now().Add(-72*time.Hour).Truncate(time.Second), f.sql)
	newer := f.backup(t, time.Now().Add(-30*time.Hour).Truncate(time.Second), f.sql)
	os.WriteFile(filepath.Join(f.dir, "foreign.sql"), []byte("x"), 0o600)
	st, err = f.e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total != 2 || st.Oldest.Filename != old || st.Newest.Filename != newer || st.LastComplete.Filename != newer ||
		st.TotalSize != st.Oldest.Size+st.Newest.Size || !st.Stale || st.LowSpace {
		t.Errorf("two backups, 30 h old: %+v", st)
	}
	if !strings.Contains(strings.Join(st.Warnings, "\n"), "last complete backup") {
		t.Errorf("stale warning missing: %q", st.Warnings)
	}
	f.backup(t, time.Now().Add(-time.Hour).Truncate(time.Second), f.sql)
	st, _ = f.e.Status(ctx)
	if st.Stale || st.Total != 3 || len(st.Warnings) != 0 {
		t.Errorf("fresh backup: stale %v, warnings %q", st.Stale, st.Warnings)
	}
	// Free space below twice the newest backup.
	low := Status{DirExists: true, FreeBytes: uint64(st.Newest.Size)}
	entries, _ := catalog.List(f.dir, f.e.Loc)
	f.e.summarize(&low, entries)
	if !low.LowSpace || !strings.Contains(strings.Join(f.e.warnings(low), "\n"), "twice the newest backup") {
		t.Errorf("low space not reported: %+v", low)
	}

	// A server that does not answer and a directory that does not exist
	// are reported, not errors.
	cfg := *f.e.Cfg
	cfg.Database.Socket = filepath.Join(t.TempDir(), "no.sock")
	cfg.Backup.Dir = filepath.Join(t.TempDir(), "missing")
	down, err := Open(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer down.Close()
	st, err = down.Status(ctx)
	if err != nil || st.ServerOK || st.ServerError == "" || st.DirExists || st.DirWritable || st.Total != 0 {
		t.Errorf("server down, no directory: %v %+v", err, st)
	}
}

func TestCatalogActivity(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	base := time.Now().Add(-10 * time.Hour).Truncate(time.Second)
	a := f.backup(t, base, f.sql)
	b := f.backup(t, base.Add(time.Hour), f.sql)
	f.e.Verify(ctx, b, VerifyOptions{}, nil)
	f.e.Prune(ctx, PruneOptions{Keep: 5})
	f.e.Delete(ctx, "../../etc/passwd")
	f.e.Delete(ctx, a)
	f.e.Cat(ctx, b, &bytes.Buffer{})

	fi, err := os.Stat(filepath.Join(f.dir, audit.FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("audit log: %v, mode %v", err, fi.Mode())
	}
	all, err := f.e.Activity(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"download " + b + " ok", "delete " + a + " ok", "delete ../../etc/passwd refused",
		"prune (nothing) ok", "verify " + b + " ok"}
	var got []string
	for _, en := range all {
		got = append(got, en.Action+" "+en.Object+" "+en.Result)
		if en.OSUser != f.e.Who.Login || en.MySQLUser != "root" || en.Time.IsZero() || en.DurationMS < 0 {
			t.Errorf("entry %+v: missing who or when", en)
		}
		if (en.Result == "ok") != (en.Error == "") {
			t.Errorf("entry %+v: error must be set exactly when it failed", en)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("activity:\n got %q\nwant %q", got, want)
	}
	if last, _ := f.e.Activity(ctx, 2); len(last) != 2 || last[0].Action != "download" {
		t.Errorf("limit 2: %+v", last)
	}
	// Each line is one JSON object with the documented fields.
	raw, _ := os.ReadFile(filepath.Join(f.dir, audit.FileName))
	var line map[string]any
	json.Unmarshal(bytes.SplitN(raw, []byte("\n"), 2)[0], &line)
	for _, k := range []string{"time", "os_user", "mysql_user", "action", "object", "result", "duration_ms"} {
		if _, ok := line[k]; !ok {
			t.Errorf("audit line lacks %q: %s", k, raw)
		}
	}
}

// BenchmarkList1000 lists a backup directory holding 1,000 backups with
// their manifests.
func BenchmarkList1000(b *testing.B) {
	dir := b.TempDir()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.Local)
	for i := 0; i < 1000; i++ {
		at := base.Add(time.Duration(i) * time.Hour)
		name := catalog.BackupName(at, "gzip")
		body := []byte(fmt.Sprintf("backup %d", i))
		os.WriteFile(filepath.Join(dir, name), body, 0o600)
		sum := sha256.Sum256(body)
		catalog.WriteManifest(dir, &catalog.Manifest{FormatVersion: catalog.FormatVersion, Filename: name, SHA256: hex.EncodeToString(sum[:]),
			Size: int64(len(body)), CreatedAt: at, Tables: map[string]int64{"t": 1}, Rows: 1})
	}
	e, err := Open(&config.Config{Backup: config.Backup{Dir: dir, Keep: 20}})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		list, err := e.List(context.Background(), 0)
		if err != nil || len(list) != 1000 || list[0].State != catalog.StateComplete {
			b.Fatalf("listed %d, err %v", len(list), err)
		}
	}
}

// A backup taken by e.Backup lists as complete, passes every check (with
// a restore too) and then lists as verified.
func TestCatalogRealBackup(t *testing.T) {
	f := catSetup(t)
	ctx := context.Background()
	br, err := f.e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := f.states(t)[br.Filename]; s != catalog.StateComplete {
		t.Fatalf("fresh backup %s: state %s", br.Filename, s)
	}
	res, err := f.e.Verify(ctx, br.Filename, VerifyOptions{Restore: true}, nil)
	if err != nil || !res.OK || len(res.Checks) != 11 { // 7 one-pass checks, 4 of the restore
		t.Fatalf("verify --restore of e.Backup's file: %v %+v", err, res.Checks)
	}
	if s := f.states(t)[br.Filename]; s != catalog.StateVerified {
		t.Errorf("after verify: state %s", s)
	}
}

// A cancelled verify is an error, records nothing in the manifest, and
// leaves a "cancelled" audit line.
func TestCatalogVerifyCancelled(t *testing.T) {
	f := catSetup(t)
	name := f.backup(t, time.Now().Add(-time.Hour).Truncate(time.Second), f.sql)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.e.Verify(ctx, name, VerifyOptions{}, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled verify: %v", err)
	}
	if m, _ := catalog.ReadManifest(f.dir, name); m.Verify != nil {
		t.Errorf("cancelled verify recorded %+v", m.Verify)
	}
	if a, _ := f.e.Activity(context.Background(), 1); len(a) != 1 || a[0].Result != "cancelled" {
		t.Errorf("audit: %+v", a)
	}
}
