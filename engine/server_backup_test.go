package engine

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// database.names = ["*"]: one file holds every application database (never
// the system schemas), its manifest lists each with its tables and row
// counts, and the stock client alone rebuilds them all on another server.
func TestBackupAllDatabasesOneFile(t *testing.T) {
	src := newServerFixture(t)
	e := serverEngine(t, src, []string{"*"}, false)
	if l := e.DatabaseLabel(); l != "all databases" {
		t.Errorf("header label before any backup: %q", l)
	}
	res, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if l := e.DatabaseLabel(); l != "4 databases" {
		t.Errorf("header label: %q, want 4 databases", l)
	}
	m := bkManifest(t, e.dir(), res.Filename)
	if want := []string{"blog", "crm", "other", "shop"}; !slices.Equal(m.Databases, want) {
		t.Fatalf("databases %v, want %v", m.Databases, want)
	}
	if m.Selection != "*" || len(m.DatabaseBytes) != 4 || m.DatabaseBytes["shop"] <= 0 {
		t.Fatalf("selection %q bytes %v", m.Selection, m.DatabaseBytes)
	}
	for key, want := range map[string]int64{"shop.items": 3, "shop.orders": 2, "blog.posts": 2, "blog.log": 1, "crm.customers": 3} {
		if got, ok := m.Tables[key]; !ok || got != want {
			t.Errorf("manifest tables[%s] = %d (%v), want %d", key, got, ok, want)
		}
	}
	if m.Rows != 11 || res.Rows != 11 {
		t.Errorf("rows %d / %d, want 11", m.Rows, res.Rows)
	}
	if !slices.Contains(m.Objects["view"], "blog.cheap") || !slices.Contains(m.Objects["procedure"], "crm.note") {
		t.Errorf("objects %v", m.Objects)
	}
	for k := range m.Tables {
		if db, _, _ := strings.Cut(k, "."); db == "mysql" || db == "sys" {
			t.Errorf("a system schema in the backup: %s", k)
		}
	}
	if en := (catalog.Entry{Manifest: &m}); e.scope() != "*" || en.Scope() != "*" {
		t.Errorf("scope %q", e.scope())
	}

	// The stock client restores the whole file onto an empty server.
	dst := testdb.NewServer(t, sandbox.Options{})
	f, err := os.Open(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zcat := exec.Command("zcat")
	zcat.Stdin = f
	out, err := zcat.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := zcat.Start(); err != nil {
		t.Fatal(err)
	}
	testdb.LoadSQL(t, dst, "", out)
	zcat.Wait()
	for _, db := range []string{"shop", "blog", "crm"} {
		want, got := bkChecksums(t, src, db), bkChecksums(t, dst, db)
		if len(want) == 0 || !mapsEqual(want, got) {
			t.Errorf("%s: checksums %v, want %v", db, got, want)
		}
	}
}

// database.names = [a, b]: only those, and a listed database that is
// missing fails the backup naming it, leaving nothing behind.
func TestBackupNamedDatabases(t *testing.T) {
	a, b := testdb.New(t), testdb.New(t)
	a.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	b.MustExec(t, "CREATE TABLE u (id INT PRIMARY KEY)", "INSERT INTO u VALUES (7)")
	e := serverEngine(t, a.Server, []string{a.Name, b.Name}, false)
	res, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := bkManifest(t, e.dir(), res.Filename)
	if !slices.Equal(m.Databases, []string{a.Name, b.Name}) || m.Tables[a.Name+".t"] != 2 || m.Tables[b.Name+".u"] != 1 || len(m.Tables) != 2 {
		t.Fatalf("manifest databases %v tables %v", m.Databases, m.Tables)
	}
	if l := e.DatabaseLabel(); l != "2 databases" {
		t.Errorf("header label %q", l)
	}
	e2 := serverEngine(t, a.Server, []string{a.Name, "no_such_db"}, false)
	if _, err := e2.Backup(context.Background(), BackupOptions{}, nil); err == nil || !strings.Contains(err.Error(), "`no_such_db` does not exist") {
		t.Fatalf("missing database: %v", err)
	}
	if names := bkDirNames(t, e2.dir()); len(names) != 0 {
		t.Fatalf("left behind: %v", names)
	}
}

func mapsEqual(a, b map[string]string) bool {
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

// status shows, per database, the last backup that holds it: a newer
// backup of one database (another config, same directory) is the last of
// that one, while the other keeps its older whole-server backup.
func TestStatusLastBackupPerDatabase(t *testing.T) {
	a, b := testdb.New(t), testdb.New(t)
	a.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	b.MustExec(t, "CREATE TABLE u (id INT PRIMARY KEY)", "INSERT INTO u VALUES (7)")
	both := serverEngine(t, a.Server, []string{a.Name, b.Name}, false)
	ctx := context.Background()
	first, err := both.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	one := serverEngineIn(t, a.Server, both.dir(), []string{a.Name}, false)
	second, err := one.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := both.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Databases) != 2 {
		t.Fatalf("databases %+v", st.Databases)
	}
	da, db := st.Databases[0], st.Databases[1]
	if da.Name != a.Name || da.LastBackup == nil || da.LastBackup.Filename != second.Filename || da.Tables != 1 || da.Rows != 2 {
		t.Errorf("%s: %+v, want last %s", a.Name, da, second.Filename)
	}
	if db.Name != b.Name || db.LastBackup == nil || db.LastBackup.Filename != first.Filename || db.Rows != 1 || db.Bytes <= 0 {
		t.Errorf("%s: %+v, want last %s", b.Name, db, first.Filename)
	}
}

// verify and verify --restore prove a whole-server backup whole: every
// database's part is read through its own gate, and the throwaway restore
// holds every database's tables and objects.
func TestVerifyWholeServerBackup(t *testing.T) {
	src := newServerFixture(t)
	e := serverEngine(t, src, serverDatabases, true)
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, restore := range []bool{false, true} {
		res, err := e.Verify(ctx, b.Filename, VerifyOptions{Restore: restore}, nil)
		if err != nil {
			t.Fatalf("verify restore=%v: %v", restore, err)
		}
		if !res.OK {
			t.Errorf("verify restore=%v failed: %+v", restore, res.Checks)
		}
		details := fmt.Sprintf("%+v", res.Checks)
		if restore && (!strings.Contains(details, "11 rows in 5 tables match the file and the manifest") || !strings.Contains(details, "Name:objects OK:true")) {
			t.Errorf("verify --restore did not compare every database: %s", details)
		}
	}
}
