package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// fixture is a real database with a little data and a config for it.
type fixture struct {
	db     *testdb.DB
	dir    string // backup.dir
	config string
}

func newFixture(t *testing.T, extra string) *fixture {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE customers (id BIGINT UNSIGNED PRIMARY KEY, name VARCHAR(80) CHARACTER SET utf8mb4, balance DECIMAL(20,4))",
		"INSERT INTO customers VALUES (1,'Åse 🚣',12.5000),(2,'O''Brien \\\\ co',NULL),(18446744073709551615,'max',-1.0001)",
		"CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT UNSIGNED, total DOUBLE, FOREIGN KEY (customer_id) REFERENCES customers(id))",
		"INSERT INTO orders (customer_id,total) VALUES (1,0.1),(1,1e300),(2,-0.0)",
	)
	f := &fixture{db: d, dir: filepath.Join(t.TempDir(), "backups")}
	// One signing key for every config a test derives from this one, as on one host.
	body := fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nname = %q\n\n[backup]\ndir = %q\nkeep = 3\nsigning_key = %q\n%s",
		d.Server.Socket, d.Name, f.dir, filepath.Join(filepath.Dir(f.dir), "signing.key"), extra)
	f.config = writeConfig(t, body, 0o600)
	return f
}

func (f *fixture) run(t *testing.T, args ...string) result {
	t.Helper()
	return lifeboat(t, []string{"HOME=" + t.TempDir()}, append([]string{"--config", f.config}, args...)...)
}

func (f *fixture) json(t *testing.T, args ...string) map[string]any {
	t.Helper()
	r := f.run(t, append(args, "--json")...)
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("lifeboat %v --json: code %d, not JSON: %q (stderr %q)", args, r.code, r.stdout, r.stderr)
	}
	if r.code != 0 {
		t.Fatalf("lifeboat %v: code %d: %v (stderr %q)", args, r.code, out, r.stderr)
	}
	return out
}

func fields(t *testing.T, m map[string]any, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, ok := m[n]; !ok {
			t.Errorf("JSON lacks %q: %v", n, m)
		}
	}
}

func TestBackupListStatusVerifyCat(t *testing.T) {
	f := newFixture(t, "")
	out, raw := jsonReply[backupReply](t, f, "backup")
	if !out.Success {
		t.Fatalf("backup: %+v", out)
	}
	b := out.Backup
	fields(t, sub(t, raw, "backup"), "filename", "filepath", "filesize", "filesize_formatted", "created_at", "timestamp", "sha256", "tables", "rows", "duration_ms")
	name := b.Filename
	if b.Rows != 6 || b.Tables != 2 {
		t.Errorf("backup counted %v rows in %v tables, want 6 in 2", b.Rows, b.Tables)
	}
	st, err := os.Stat(filepath.Join(f.dir, name))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file %s: %v, mode %v", name, err, st.Mode())
	}

	list, rawList := jsonReply[listReply](t, f, "list")
	fields(t, rawList, "backups", "total", "backup_directory")
	if len(list.Backups) != 1 || list.Total != 1 {
		t.Fatalf("list: %d backups (total %d), want 1", len(list.Backups), list.Total)
	}
	fields(t, rawList["backups"].([]any)[0].(map[string]any), "filename", "filepath", "filesize", "filesize_formatted", "created_at", "modified_at", "created_by", "state")
	if e0 := list.Backups[0]; e0.Filename != name || e0.State != "complete" {
		t.Fatalf("list entry: %+v", e0)
	}

	status, rawStatus := jsonReply[statusReply](t, f, "status")
	fields(t, rawStatus, "system_status", "backup_stats")
	fields(t, sub(t, rawStatus, "system_status"), "backup_directory", "backup_directory_exists", "backup_directory_writable", "free_bytes", "server_reachable", "server_version", "max_backups_kept")
	if sys := status.SystemStatus; !sys.ServerReachable || sys.MaxBackupsKept != 3 {
		t.Errorf("status: %+v", sys)
	}
	fields(t, sub(t, rawStatus, "backup_stats"), "total_backups", "total_size", "total_size_formatted", "oldest_backup", "newest_backup")

	v, rawVerify := jsonReply[verifyReply](t, f, "verify", name)
	fields(t, rawVerify, "success", "filename", "checks")
	if !v.Success {
		t.Fatalf("verify of a fresh backup failed: %+v", v)
	}
	if after, _ := jsonReply[listReply](t, f, "list"); after.Backups[0].State != "verified" {
		t.Errorf("after verify, state = %v, want verified", after.Backups[0].State)
	}

	r := f.run(t, "cat", name)
	want, _ := os.ReadFile(filepath.Join(f.dir, name))
	if r.code != 0 || !bytes.Equal([]byte(r.stdout), want) {
		t.Fatalf("cat: code %d, %d bytes, want %d identical bytes", r.code, len(r.stdout), len(want))
	}
	sum := sha256.Sum256([]byte(r.stdout))
	if hex.EncodeToString(sum[:]) != b.SHA256 {
		t.Errorf("cat bytes do not match the backup's sha256")
	}
}

func TestDeleteRefusesPathsAndNeedsYes(t *testing.T) {
	f := newFixture(t, "")
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	// Issue 21 item 1: a file waits wherever a path that got through would
	// land, so a missing check deletes it rather than failing on nothing.
	abs := plantFile(t, filepath.Join(t.TempDir(), "victim.sql.gz"))
	keep := []string{plantFile(t, filepath.Join(f.dir, "..", "..", "etc", "passwd")), abs, plantFile(t, filepath.Join(f.dir, abs))}
	for _, c := range []struct{ name, code, says string }{
		{"../../etc/passwd", "bad_name", `"../../etc/passwd" is a path`},
		{abs, "bad_name", fmt.Sprintf("%q is a path", abs)},
		{"nope.sql.gz", "not_found", `no backup named "nope.sql.gz"`},
	} {
		r := f.run(t, "--json", "delete", c.name, "--yes")
		out := decodeJSON[errorReply](t, r)
		if r.code != 1 || out.Success || out.Code != c.code || !strings.Contains(out.Error, c.says) {
			t.Errorf("delete %q: exit %d, %v; want exit 1, code %s saying %s", c.name, r.code, out, c.code, c.says)
		}
	}
	for _, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s gone after refused deletes: %v", p, err)
		}
	}
	r := f.run(t, "delete", name)
	if r.code != 1 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("delete without a terminal or --yes: code %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(f.dir, name)); err != nil {
		t.Fatalf("unconfirmed delete removed the file: %v", err)
	}
	out, raw := jsonReply[deleteReply](t, f, "delete", name, "--yes")
	fields(t, raw, "success", "message", "filename")
	if !out.Success || out.Filename != name {
		t.Errorf("delete --yes: %+v", out)
	}
	if _, err := os.Stat(filepath.Join(f.dir, name)); !os.IsNotExist(err) {
		t.Fatalf("delete --yes left the file: %v", err)
	}
}

func TestRestoreNeedsConfirmationAndRoundTrips(t *testing.T) {
	f := newFixture(t, "")
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	before := checksum(t, f.db, "customers", "orders")
	f.db.MustExec(t, "DELETE FROM orders", "UPDATE customers SET name='damaged'")

	r := f.run(t, "restore", name)
	if r.code != 1 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("restore without --yes: code %d, stderr %q", r.code, r.stderr)
	}
	if checksum(t, f.db, "customers", "orders") == before {
		t.Fatal("unconfirmed restore changed the database")
	}
	out, raw := jsonReply[restoreReply](t, f, "restore", name, "--yes")
	fields(t, sub(t, raw, "restore"), "filename", "filepath", "restored_at", "database", "safety_backup")
	if got := checksum(t, f.db, "customers", "orders"); got != before {
		t.Fatalf("after restore: %s, want %s", got, before)
	}
	safety := out.Restore.SafetyBackup
	if safety == "" {
		t.Fatal("restore over an existing database reported no safety backup")
	}
	if _, err := os.Stat(filepath.Join(f.dir, safety)); err != nil {
		t.Fatalf("safety backup %s not in the directory: %v", safety, err)
	}
}

func TestPruneDryRunAndKeep(t *testing.T) {
	f := newFixture(t, "")
	for i := 0; i < 3; i++ {
		f.json(t, "backup")
	}
	dry, raw := jsonReply[pruneReply](t, f, "prune", "--keep", "1", "--dry-run")
	fields(t, sub(t, raw, "cleanup_stats"), "files_before", "files_after", "files_deleted", "space_freed", "space_freed_formatted", "max_backups_kept")
	if dry.CleanupStats.FilesDeleted != 2 {
		t.Fatalf("dry run would delete %v, want 2", dry.CleanupStats.FilesDeleted)
	}
	if l, _ := jsonReply[listReply](t, f, "list"); len(l.Backups) != 3 {
		t.Fatalf("dry run deleted files: %d left", len(l.Backups))
	}
	jsonReply[pruneReply](t, f, "prune", "--keep", "1", "--yes")
	if l, _ := jsonReply[listReply](t, f, "list"); len(l.Backups) != 1 {
		n := len(l.Backups)
		t.Fatalf("after prune --keep 1: %d backups", n)
	}
}

func TestAccessRuleRefusesWithRuleAndUser(t *testing.T) {
	f := newFixture(t, "\n[access]\ndelete = [\"@nobody-group-xyz\"]\n")
	name := f.json(t, "backup")["backup"].(map[string]any)["filename"].(string)
	r := f.run(t, "--json", "delete", name, "--yes")
	out := decodeJSON[errorReply](t, r)
	// Issue 21 item 3: the refusal names the user, the real login.
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	if sudo := os.Getenv("SUDO_USER"); sudo != "" && os.Geteuid() == 0 {
		if u, err = user.Lookup(sudo); err != nil {
			t.Fatal(err)
		}
	}
	rule := `access.delete = ["@nobody-group-xyz"]`
	if r.code != 1 || out.Success || out.Code != "access_denied" || !strings.Contains(out.Error, rule) ||
		!strings.Contains(out.Error, fmt.Sprintf("delete is not allowed for user %q", u.Username)) {
		t.Fatalf("access rule: code %d, %v; want access_denied naming %s and user %q", r.code, out, rule, u.Username)
	}
	if _, err := os.Stat(filepath.Join(f.dir, name)); err != nil {
		t.Fatalf("refused delete removed the file: %v", err)
	}
}

// plantFile writes a small file at p, inside a temporary directory only.
func plantFile(t *testing.T, p string) string {
	t.Helper()
	if !strings.HasPrefix(p, os.TempDir()) {
		t.Fatalf("%s is outside the temporary directory; refusing to plant a file there", p)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func checksum(t *testing.T, d *testdb.DB, tables ...string) string {
	t.Helper()
	var sb strings.Builder
	for _, tb := range tables {
		var name string
		var sum any
		q := "CHECKSUM TABLE `" + tb + "`"
		if strings.Contains(tb, "`") { // already quoted and qualified: `db`.t
			q = "CHECKSUM TABLE " + tb
		}
		if err := d.QueryRow(q).Scan(&name, &sum); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%s=%s ", tb, sum)
	}
	return sb.String()
}
