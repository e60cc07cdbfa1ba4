package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// The rebuild as a sysadmin runs it (issue 17 "done means"): a server with
// three application databases and their users is backed up with
// database.names = ["*"] and accounts = true; an empty server is rebuilt
// from that one file with `lifeboat restore NAME --accounts`; each
// application user logs in with its old password and sees its data. The
// plan and the replies name the accounts, never their auth strings.
func TestCLIRebuildServerFromOneFile(t *testing.T) {
	src := testdb.NewServer(t, sandbox.Options{})
	mustExec(t, src,
		"CREATE DATABASE wiki", "CREATE DATABASE crm", "CREATE DATABASE shop",
		"CREATE TABLE wiki.pages (id INT PRIMARY KEY, title VARCHAR(40))", "INSERT INTO wiki.pages VALUES (1,'Home'),(2,'Help')",
		"CREATE TABLE crm.leads (id INT PRIMARY KEY)", "INSERT INTO crm.leads VALUES (1),(2),(3)",
		"CREATE TABLE shop.items (id INT PRIMARY KEY)", "INSERT INTO shop.items VALUES (7)",
		"CREATE USER wikiapp@localhost IDENTIFIED BY 'wiki-pw'", "GRANT SELECT ON wiki.* TO wikiapp@localhost",
		"CREATE USER crmapp@localhost IDENTIFIED BY 'crm-pw'", "GRANT SELECT, INSERT ON crm.* TO crmapp@localhost",
		"CREATE USER shopapp@localhost IDENTIFIED BY 'shop-pw'", "GRANT SELECT ON shop.items TO shopapp@localhost",
		"CREATE USER bkup@localhost IDENTIFIED BY 'bk-pw'", "GRANT RELOAD, PROCESS ON *.* TO bkup@localhost",
	)
	dir := filepath.Join(t.TempDir(), "backups")
	config := func(srv *sandbox.Server) string {
		return writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nnames = [\"*\"]\naccounts = true\n\n[backup]\ndir = %q\nsigning_key = %q\n",
			srv.Socket, dir, filepath.Join(filepath.Dir(dir), "signing.key")), 0o600)
	}
	run := func(cfg string, args ...string) result {
		return lifeboat(t, []string{"HOME=" + t.TempDir()}, append([]string{"--config", cfg}, args...)...)
	}
	r := run(config(src), "backup", "--json")
	b := decodeJSON[backupReply](t, r)
	if !b.Success || b.Backup.Rows != 6 || b.Backup.Tables != 3 {
		t.Fatalf("backup: %+v (stderr %q)", b, r.stderr)
	}

	st := decodeJSON[statusReply](t, run(config(src), "status", "--json"))
	if len(st.Databases) != 3 || st.Databases[0].Name != "crm" || st.Databases[0].LastBackup == nil ||
		st.Databases[0].LastBackup.Filename != b.Backup.Filename || st.Databases[0].Tables != 1 || st.Databases[0].Rows != 3 || st.Databases[0].Size <= 0 {
		t.Errorf("status databases: %+v", st.Databases)
	}
	if out := run(config(src), "status").stdout; !strings.Contains(out, "database   wiki  last: "+b.Backup.Filename) {
		t.Errorf("status lacks the per-database line:\n%s", out)
	}

	dst := testdb.NewServer(t, sandbox.Options{})
	cfg := config(dst)
	r = run(cfg, "restore", b.Backup.Filename, "--accounts", "--dry-run", "--json")
	plan := decodeJSON[restorePlanReply](t, r)
	// ["*"] holds every account, root too: root is here already and stays.
	if plan.Plan.Parts == nil || len(plan.Plan.Parts.Databases) != 3 || len(plan.Plan.Parts.Accounts) != 7 {
		t.Fatalf("plan: %+v", plan.Plan.Parts)
	}
	for _, a := range plan.Plan.Parts.Accounts { // the server-wide grants are named, not their auth
		if want := a.Name == "'bkup'@'localhost'"; want != slices.Equal(a.GlobalPrivileges, []string{"RELOAD, PROCESS ON *.*"}) {
			t.Errorf("account %s: global privileges %v", a.Name, a.GlobalPrivileges)
		}
	}
	r = run(cfg, "restore", b.Backup.Filename, "--accounts", "--dry-run")
	for _, want := range []string{"3 database(s)", "  crm: created from the backup", "Accounts created: 'bkup'@'localhost', 'crmapp'@'localhost', 'shopapp'@'localhost', 'wikiapp'@'localhost'.",
		"warning: account 'bkup'@'localhost' gets server-wide privileges from the file: RELOAD, PROCESS ON *.*",
		"Accounts already here, left as they are: 'root'@'127.0.0.1', 'root'@'::1', 'root'@'localhost'."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(cfg, "restore", b.Backup.Filename, "--accounts", "--yes", "--json")
	res := decodeJSON[restoreReply](t, r)
	if !res.Success || res.Restore.Parts == nil || len(res.Restore.Parts.Databases) != 3 ||
		!slices.Equal(res.Restore.Parts.Created, []string{"'bkup'@'localhost'", "'crmapp'@'localhost'", "'shopapp'@'localhost'", "'wikiapp'@'localhost'"}) {
		t.Fatalf("restore: %+v (stderr %q)", res, r.stderr)
	}
	for _, out := range []string{r.stdout, r.stderr, plan.Plan.Filename} {
		if strings.Contains(out, "PASSWORD") || strings.Contains(out, "*") && strings.Contains(out, "IDENTIFIED") {
			t.Errorf("an auth string in the output: %s", out)
		}
	}
	for user, q := range map[string]string{
		"wikiapp:wiki-pw": "SELECT COUNT(*) FROM wiki.pages",
		"crmapp:crm-pw":   "SELECT COUNT(*) FROM crm.leads",
		"shopapp:shop-pw": "SELECT COUNT(*) FROM shop.items",
	} {
		u, pw, _ := strings.Cut(user, ":")
		c := dst.Config("")
		c.User, c.Passwd = u, pw
		conn, err := mysql.NewConnector(c)
		if err != nil {
			t.Fatal(err)
		}
		pool := sql.OpenDB(conn)
		var n int
		if err := pool.QueryRow(q).Scan(&n); err != nil || n == 0 {
			t.Errorf("%s after the rebuild: %d rows, %v", u, n, err)
		}
		pool.Close()
	}
}

func mustExec(t *testing.T, srv *sandbox.Server, stmts ...string) {
	t.Helper()
	pool, err := srv.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	pool.SetMaxOpenConns(1)
	for _, q := range stmts {
		if _, err := pool.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}
