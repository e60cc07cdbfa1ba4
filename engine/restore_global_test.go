package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// A foreign `mariadb-dump --all-databases --system=users` file restored
// with --accounts onto an empty server brings back the accounts' global
// privileges too (a backup user's RELOAD, PROCESS ON *.*, an admin's ALL
// WITH GRANT OPTION): the plan names them, never an auth string, and
// SHOW GRANTS is then identical; without --accounts no account is made
// (issue 17).
func TestRestoreForeignGlobalPrivileges(t *testing.T) {
	src := newServerFixture(t)
	execAll(t, src, "",
		"DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1')", "FLUSH PRIVILEGES",
		"CREATE USER 'bk'@'localhost' IDENTIFIED BY 'bk-pass'",
		"GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'bk'@'localhost'",
		"GRANT SELECT ON shop.* TO 'bk'@'localhost'",
		"CREATE USER 'dba'@'%' IDENTIFIED BY 'dba-pass'",
		"GRANT ALL PRIVILEGES ON *.* TO 'dba'@'%' WITH GRANT OPTION",
	)
	dir := t.TempDir()
	for name, args := range map[string][]string{"all.sql": {"--system=users"}, "nousers.sql": nil} {
		cmd := exec.Command("mariadb-dump", append([]string{"--no-defaults", "--socket=" + src.Socket, "-uroot", "--all-databases", "--routines"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("mariadb-dump: %v: %s", err, stderr.String())
		}
		if err := os.WriteFile(filepath.Join(dir, name), out, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	dst := testdb.NewServer(t, sandbox.Options{})
	e := serverEngineIn(t, dst, dir, serverDatabases, true)
	ctx := context.Background()

	plan, err := e.PlanRestore(ctx, "all.sql", RestoreOptions{Accounts: true})
	if err != nil {
		t.Fatal(err)
	}
	global := map[string][]string{}
	for _, a := range plan.Parts.Accounts {
		if len(a.Global) > 0 {
			global[a.Name] = a.Global
		}
	}
	if !slices.Equal(global["'bk'@'localhost'"], []string{"RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.*"}) ||
		!slices.Equal(global["'dba'@'%'"], []string{"ALL PRIVILEGES ON *.* WITH GRANT OPTION"}) || len(global) != 2 {
		t.Fatalf("global privileges in the plan: %v", global)
	}
	warned := strings.Join(plan.Warnings, "\n")
	if !strings.Contains(warned, "account 'dba'@'%' gets server-wide privileges from the file: ALL PRIVILEGES ON *.* WITH GRANT OPTION") {
		t.Errorf("plan warnings: %s", warned)
	}
	if s := fmt.Sprintf("%+v", plan); strings.Contains(s, "PASSWORD") || strings.Contains(s, "IDENTIFIED") {
		t.Errorf("an auth string in the plan: %s", s)
	}

	// A dump without --system=users has its accounts only as rows of its
	// mysql schema, which is never loaded: the plan says so.
	bare, err := e.PlanRestore(ctx, "nousers.sql", RestoreOptions{Accounts: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(bare.Warnings, "\n"); !strings.Contains(w, "only the rows of its mysql schema, which lifeboat never loads: no account is restored") || len(bare.Parts.Accounts) != 0 {
		t.Errorf("plan of a dump without --system=users: %s; accounts %v", w, bare.Parts.Accounts)
	}

	// Without --accounts nothing of it runs.
	if _, err := e.Restore(ctx, "all.sql", RestoreOptions{Database: "shop"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := loginAs(dst, "bk", "bk-pass", "SELECT 1"); err == nil {
		t.Fatal("a restore without --accounts created bk")
	}

	res, err := e.Restore(ctx, "all.sql", RestoreOptions{Accounts: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Parts.SkippedGrants {
		if strings.Contains(s, "global") {
			t.Errorf("skipped: %s", s)
		}
	}
	accounts := []string{"'bk'@'localhost'", "'dba'@'%'"}
	if want, got := showGrants(t, src, accounts), showGrants(t, dst, accounts); fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("grants after the restore:\n got %v\nwant %v", got, want)
	}
	if v, err := loginAs(dst, "dba", "dba-pass", "SELECT COUNT(*) FROM mysql.user"); err != nil || v == "0" {
		t.Errorf("dba logs in and reads mysql.user: %q %v", v, err)
	}
}
