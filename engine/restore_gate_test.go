package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// gtDoctor rewrites a gzip backup's SQL with fn and recomputes the sha256
// and size in its manifest, as an attacker who can write the backup
// directory would.
func gtDoctor(t *testing.T, e *Engine, name string, fn func(string) string) {
	t.Helper()
	path := filepath.Join(e.dir(), name)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	sql, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	zw.Write([]byte(fn(string(sql))))
	zw.Close()
	gtReplace(t, e, name, out.Bytes())
}

// gtReplace writes data as the backup file and makes the manifest match
// it, re-signed by this host: the gate must hold even for a file whose
// manifest is trusted.
func gtReplace(t *testing.T, e *Engine, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(e.dir(), name), data, 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := catalog.ReadManifest(e.dir(), name)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	m.SHA256, m.Size = hex.EncodeToString(sum[:]), int64(len(data))
	if err := e.saveManifest(m); err != nil {
		t.Fatal(err)
	}
}

// gtBeforeCompletion inserts extra SQL just before the completion line.
func gtBeforeCompletion(extra string) func(string) string {
	return func(sql string) string {
		i := strings.LastIndex(sql, catalog.CompletionPrefix)
		return sql[:i] + extra + sql[i:]
	}
}

// TestTrust04RestoreRefusesStatementsOutsideTarget: the attacks of issue
// 11 item 4, appended to a real backup whose manifest was recomputed, are
// each refused before anything changes, naming the line; nothing outside
// the target happened, and the target is as it was.
func TestTrust04RestoreRefusesStatementsOutsideTarget(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1,'one'),(2,'two')")
	victim := testdb.New(t)
	victim.MustExec(t, "CREATE TABLE precious (id INT)", "INSERT INTO precious VALUES (1),(2),(3)")
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	outfile := filepath.Join(t.TempDir(), "leak.txt")
	attacks := []string{
		"DELETE FROM `" + victim.Name + "`.precious",
		"TRUNCATE `" + victim.Name + "`.precious",
		"RENAME TABLE `" + victim.Name + "`.precious TO t_stolen",
		"GRANT ALL ON *.* TO 'evil'@'%' IDENTIFIED BY 'Evil-pw-1'",
		"CREATE USER 'evil2'@'%'",
		"SET GLOBAL max_connections = 7",
		"SELECT * FROM t INTO OUTFILE '" + outfile + "'",
		"DROP /**/ DATABASE `" + victim.Name + "`",
		"/*!50000 DROP DATABASE `" + victim.Name + "`*/",
		"INSERT INTO t VALUES (9, LOAD_FILE('/etc/passwd'))",
		"CREATE VIEW leak AS SELECT * FROM mysql.user",
	}
	var maxConn int
	if err := d.QueryRow("SELECT @@GLOBAL.max_connections").Scan(&maxConn); err != nil {
		t.Fatal(err)
	}
	before := bkChecksums(t, d.Server, d.Name)
	for _, attack := range attacks {
		b, err := e.Backup(ctx, BackupOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		gtDoctor(t, e, b.Filename, gtBeforeCompletion("\n"+attack+";\n"))
		_, err = e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
		if err == nil || !strings.Contains(err.Error(), "not touched") || !strings.Contains(err.Error(), "line ") ||
			!strings.Contains(err.Error(), strings.Fields(attack)[0]) {
			t.Errorf("%s: error %v, want a refusal that names the line and leaves the database untouched", attack, err)
		}
		if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
			t.Fatalf("%s: the target changed", attack)
		}
	}
	var n, users, nowMax int
	if err := victim.QueryRow("SELECT COUNT(*) FROM precious").Scan(&n); err != nil || n != 3 {
		t.Errorf("the other database's table: %d rows (%v), want 3", n, err)
	}
	if err := d.QueryRow("SELECT COUNT(*) FROM mysql.user WHERE User IN ('evil','evil2')").Scan(&users); err != nil || users != 0 {
		t.Errorf("accounts created: %d (%v)", users, err)
	}
	if err := d.QueryRow("SELECT @@GLOBAL.max_connections").Scan(&nowMax); err != nil || nowMax != maxConn {
		t.Errorf("max_connections %d (%v), want %d", nowMax, err, maxConn)
	}
	if _, err := os.Stat(outfile); !os.IsNotExist(err) {
		t.Errorf("INTO OUTFILE wrote %s (%v)", outfile, err)
	}
	// A system schema is never a target, --into mysql included.
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, into := range []string{"mysql", "SYS", "performance_schema", "information_schema"} {
		if _, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{Into: into}); err == nil || !strings.Contains(err.Error(), "system schema") {
			t.Errorf("plan --into %s: %v", into, err)
		}
		if _, err := e.Restore(ctx, b.Filename, RestoreOptions{Into: into}, nil); err == nil || !strings.Contains(err.Error(), "system schema") {
			t.Errorf("restore --into %s: %v", into, err)
		}
	}
	if err := d.QueryRow("SELECT COUNT(*) FROM mysql.user").Scan(&n); err != nil || n == 0 {
		t.Errorf("mysql.user after --into mysql: %d rows (%v)", n, err)
	}
	// The untouched backup still restores (the gate lets a real dump through).
	if _, err := e.Restore(ctx, b.Filename, RestoreOptions{NoSafetyBackup: true}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestHonest10RestorePrecheckDecompressesWithManifest: with a manifest
// whose sha256 and size match, the pre-check still decompresses the whole
// file and wants the completion line (the README's promise): a file cut
// after a statement and re-gzipped, and a gzip stream with a bad CRC, are
// refused before anything changes.
func TestHonest10RestorePrecheckDecompressesWithManifest(t *testing.T) {
	d := bkTorture(t)
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	before := bkChecksums(t, d.Server, d.Name)
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gtDoctor(t, e, b.Filename, func(sql string) string {
		return sql[:strings.Index(sql, "-- Data for")] // whole statements, no completion line
	})
	if _, err := e.Restore(ctx, b.Filename, RestoreOptions{}, nil); err == nil || !strings.Contains(err.Error(), "incomplete") || !strings.Contains(err.Error(), "not touched") {
		t.Errorf("cut file with a matching manifest: %v", err)
	}
	b2, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(b2.Path)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-6] ^= 0xff // the CRC32 in gzip's trailer
	gtReplace(t, e, b2.Filename, raw)
	if _, err := e.Restore(ctx, b2.Filename, RestoreOptions{}, nil); err == nil || !strings.Contains(err.Error(), "damaged") || !strings.Contains(err.Error(), "not touched") {
		t.Errorf("bad CRC with a matching manifest: %v", err)
	}
	if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
		t.Fatal("the database changed")
	}
}

// gtMariadbDump writes `mariadb-dump args...` of d's server into backup.dir
// as name.
func gtMariadbDump(t *testing.T, e *Engine, d *testdb.DB, name string, args ...string) {
	t.Helper()
	if err := os.MkdirAll(e.dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("mariadb-dump", append([]string{"--no-defaults", "--socket=" + d.Server.Socket, "-uroot"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mariadb-dump %v: %v: %s", args, err, stderr.String())
	}
	if err := os.WriteFile(filepath.Join(e.dir(), name), out, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestTrust07RestoreOfAnotherDatabaseNeedsInto: a dump of database other
// is not silently loaded into tr: the plan names the file's database, and
// a restore without --into is refused before anything changes, for a
// foreign `mariadb-dump --databases other` file and for lifeboat's own
// backup of other. Named with --into, it goes ahead. A file holding two
// databases is refused with --into alone (it cannot say which to rename).
func TestTrust07RestoreOfAnotherDatabaseNeedsInto(t *testing.T) {
	tr := testdb.New(t)
	tr.MustExec(t, "CREATE TABLE mine (id INT PRIMARY KEY)", "INSERT INTO mine VALUES (1),(2)")
	other := testdb.New(t)
	other.MustExec(t, "CREATE TABLE theirs (id INT PRIMARY KEY)", "INSERT INTO theirs VALUES (7)")
	e := backupEngine(t, tr, "gzip")
	ctx := context.Background()
	gtMariadbDump(t, e, other, "other.sql", "--databases", other.Name)
	gtMariadbDump(t, e, other, "two.sql", "--databases", other.Name, tr.Name)
	own, err := e.Backup(ctx, BackupOptions{Database: other.Name}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := bkChecksums(t, tr.Server, tr.Name)
	for _, name := range []string{"other.sql", own.Filename} {
		plan, err := e.PlanRestore(ctx, name, RestoreOptions{})
		if err != nil || plan.SourceDatabase != other.Name || plan.Database != tr.Name ||
			!strings.Contains(strings.Join(plan.Warnings, "\n"), "this is a backup of database \""+other.Name+"\"") {
			t.Errorf("%s: plan %+v (%v): want source %q, target %q", name, plan, err, other.Name, tr.Name)
		}
		_, err = e.Restore(ctx, name, RestoreOptions{}, nil)
		if err == nil || !strings.Contains(err.Error(), "backup of database \""+other.Name+"\"") || !strings.Contains(err.Error(), "--into") ||
			!strings.Contains(err.Error(), "not touched") {
			t.Errorf("%s without --into: %v", name, err)
		}
		if after := bkChecksums(t, tr.Server, tr.Name); !maps.Equal(before, after) {
			t.Fatalf("%s: the target changed", name)
		}
	}
	// Since issue 17 a file of two databases restores both; --into alone
	// cannot say which of them it renames.
	_, err = e.Restore(ctx, "two.sql", RestoreOptions{Into: tr.Name}, nil)
	if err == nil || !strings.Contains(err.Error(), "add --database DB") || !strings.Contains(err.Error(), "not touched") {
		t.Errorf("two databases: %v", err)
	}
	if after := bkChecksums(t, tr.Server, tr.Name); !maps.Equal(before, after) {
		t.Fatal("two databases: the target changed")
	}
	if _, err := e.Restore(ctx, "other.sql", RestoreOptions{Into: tr.Name, NoSafetyBackup: true}, nil); err != nil {
		t.Fatal(err)
	}
	if got := bkChecksums(t, tr.Server, tr.Name); len(got) != 1 || got["theirs"] == "" {
		t.Errorf("after --into: tables %v, want only theirs", got)
	}
}

// TestTrust10RestoreRefusesDefinersTheAccountCannotSet: an account with
// exactly the README's restore grants cannot create triggers with
// DEFINER=root@localhost. The restore is refused before anything changes,
// naming the definer and --strip-definers, which then restores it whole.
func TestTrust10RestoreRefusesDefinersTheAccountCannotSet(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE log (id INT)", "INSERT INTO t VALUES (1)",
		"CREATE DEFINER=`root`@`localhost` TRIGGER trg AFTER INSERT ON t FOR EACH ROW INSERT INTO log VALUES (NEW.id)",
		"CREATE USER IF NOT EXISTS 'restorer'@'localhost' IDENTIFIED BY 'pw-Restorer-1'",
		"GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, RELOAD, BINLOG MONITOR ON *.* TO 'restorer'@'localhost'",
		"GRANT CREATE, DROP, INSERT, ALTER, INDEX, CREATE VIEW, CREATE ROUTINE, TRIGGER, EVENT ON `"+d.Name+"`.* TO 'restorer'@'localhost'")
	root := backupEngine(t, d, "gzip")
	ctx := context.Background()
	b, err := root.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.MustExec(t, "INSERT INTO t VALUES (2)")
	cfg := *root.Cfg
	cfg.Database.User, cfg.Database.Password = "restorer", "pw-Restorer-1"
	e, err := Open(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	before := bkChecksums(t, d.Server, d.Name)
	_, err = e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "'root'@'localhost'") || !strings.Contains(err.Error(), "--strip-definers") ||
		!strings.Contains(err.Error(), "SET USER") || !strings.Contains(err.Error(), "not touched") {
		t.Fatalf("restore with another definer: %v", err)
	}
	if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
		t.Fatal("the database changed")
	}
	// The shared test server writes a binary log: without SUPER, creating
	// a trigger also needs log_bin_trust_function_creators.
	_, err = e.Restore(ctx, b.Filename, RestoreOptions{StripDefiners: true}, nil)
	if err == nil || !strings.Contains(err.Error(), "log_bin_trust_function_creators") || !strings.Contains(err.Error(), "not touched") {
		t.Fatalf("restore of a trigger on a binlog server without SUPER: %v", err)
	}
	if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
		t.Fatal("the database changed")
	}
	d.MustExec(t, "SET GLOBAL log_bin_trust_function_creators = 1")
	t.Cleanup(func() { d.Exec("SET GLOBAL log_bin_trust_function_creators = 0") })
	// Now only the definer stands in the way (the server would stop at the
	// trigger with error 1227).
	_, err = e.Restore(ctx, b.Filename, RestoreOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "--strip-definers") || !strings.Contains(err.Error(), "not touched") {
		t.Fatalf("restore with another definer, binlog trusted: %v", err)
	}
	if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
		t.Fatal("the database changed")
	}
	if _, err := e.Restore(ctx, b.Filename, RestoreOptions{StripDefiners: true}, nil); err != nil {
		t.Fatalf("--strip-definers: %v", err)
	}
	var definer string
	if err := d.QueryRow("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = 'trg'", d.Name).Scan(&definer); err != nil || definer != "restorer@localhost" {
		t.Errorf("trigger definer %q (%v), want restorer@localhost", definer, err)
	}
	var n int
	if err := d.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Errorf("t: %d rows (%v), want the backup's 1", n, err)
	}
}

// TestTrust11UnterminatedForeignDumpNeedsAcceptance: a complete
// mariadb-dump --skip-comments (and --compact) file has no completion
// line. The plan says it cannot be proven complete; the restore is refused
// with --accept-unterminated named, and goes ahead with it. A hostile
// statement in such a file is still refused.
func TestTrust11UnterminatedForeignDumpNeedsAcceptance(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1,'a'),(2,'b')")
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	gtMariadbDump(t, e, d, "skip.sql", "--skip-comments", d.Name)
	gtMariadbDump(t, e, d, "compact.sql", "--compact", d.Name)
	want := bkChecksums(t, d.Server, d.Name)
	for _, name := range []string{"skip.sql", "compact.sql"} {
		d.MustExec(t, "DELETE FROM t WHERE id = 2")
		changed := bkChecksums(t, d.Server, d.Name)
		plan, err := e.PlanRestore(ctx, name, RestoreOptions{})
		if err != nil || !plan.Unterminated || !strings.Contains(strings.Join(plan.Warnings, "\n"), "cannot be proven complete") {
			t.Errorf("%s: plan %+v (%v)", name, plan, err)
		}
		_, err = e.Restore(ctx, name, RestoreOptions{NoSafetyBackup: true}, nil)
		if err == nil || !strings.Contains(err.Error(), "cannot be proven complete") || !strings.Contains(err.Error(), "--accept-unterminated") {
			t.Errorf("%s: %v", name, err)
		}
		if got := bkChecksums(t, d.Server, d.Name); !maps.Equal(got, changed) {
			t.Fatalf("%s: the refused restore changed the database", name)
		}
		if _, err := e.Restore(ctx, name, RestoreOptions{NoSafetyBackup: true, AcceptUnterminated: true}, nil); err != nil {
			t.Fatalf("%s with AcceptUnterminated: %v", name, err)
		}
		if got := bkChecksums(t, d.Server, d.Name); !maps.Equal(got, want) {
			t.Errorf("%s: restored %v, want %v", name, got, want)
		}
	}
	hostile := "CREATE TABLE x (id INT);\nGRANT ALL ON *.* TO 'evil3'@'%';\n"
	if err := os.WriteFile(filepath.Join(e.dir(), "hostile.sql"), []byte(hostile), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Restore(ctx, "hostile.sql", RestoreOptions{NoSafetyBackup: true, AcceptUnterminated: true}, nil); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("hostile unterminated file: %v", err)
	}
}

// TestTrust01RestoreRefusesStatementOverMaxAllowedPacket: a file whose
// largest statement the server would refuse is refused before anything
// changes, naming the table, the size and the setting.
func TestTrust01RestoreRefusesStatementOverMaxAllowedPacket(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE keep (id INT)", "INSERT INTO keep VALUES (1)")
	e := backupEngine(t, d, "none")
	ctx := context.Background()
	var limit int
	if err := d.QueryRow("SELECT @@GLOBAL.max_allowed_packet").Scan(&limit); err != nil {
		t.Fatal(err)
	}
	var sql bytes.Buffer
	sql.WriteString("CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB);\nINSERT INTO big VALUES (1,'")
	sql.Write(bytes.Repeat([]byte(`\0`), limit/2+1024))
	sql.WriteString("');\n-- Dump completed on 2026-12-01\n")
	if err := os.MkdirAll(e.dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.dir(), "big.sql"), sql.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	before := bkChecksums(t, d.Server, d.Name)
	_, err := e.Restore(ctx, "big.sql", RestoreOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), `table "big"`) || !strings.Contains(err.Error(), "line 2") ||
		!strings.Contains(err.Error(), "max_allowed_packet") || !strings.Contains(err.Error(), "not touched") {
		t.Fatalf("restore of a statement over max_allowed_packet: %v", err)
	}
	if after := bkChecksums(t, d.Server, d.Name); !maps.Equal(before, after) {
		t.Fatal("the database changed")
	}
}
