package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// The restore gate holds part by part in a file of several databases: a
// part that writes rows into another database is refused before anything
// changes; with --accounts the global privileges a foreign file grants an
// account it creates are named in the plan (never its password hash) and
// applied (issue 17), and a statement for an account that exists is not run.
func TestWholeServerRestoreGateHolds(t *testing.T) {
	a := testdb.New(t)
	a.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	bName := a.Name + "_b"
	t.Cleanup(func() {
		a.Exec("DROP DATABASE IF EXISTS `" + bName + "`")
		a.Exec("DROP USER IF EXISTS 'gate_evil'@'%'")
	})
	e := backupEngine(t, a, "gzip")
	if err := os.MkdirAll(e.dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	part := func(db, body string) string {
		return "CREATE DATABASE IF NOT EXISTS `" + db + "`;\nUSE `" + db + "`;\n" + body
	}
	write := func(name, sql string) {
		if err := os.WriteFile(filepath.Join(e.dir(), name), []byte(sql+"\n-- Dump completed on 2026-12-02 10:00:00\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("smuggle.sql", part(a.Name, "DROP TABLE IF EXISTS t;\nCREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (2);\n")+
		part(bName, "CREATE TABLE u (id INT);\nINSERT INTO `"+a.Name+"`.`t` VALUES (666);\n"))
	ctx := context.Background()
	_, err := e.Restore(ctx, "smuggle.sql", RestoreOptions{}, nil)
	if err == nil || !strings.Contains(err.Error(), "not touched") || !strings.Contains(err.Error(), a.Name) {
		t.Fatalf("rows into another database: %v", err)
	}
	if got := bkChecksums(t, a.Server, a.Name); len(got) != 1 {
		t.Fatalf("the target changed: %v", got)
	}
	var n int
	a.QueryRow("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", bName).Scan(&n)
	if n != 0 {
		t.Fatal("the refused file created a database")
	}

	write("accounts.sql", part(a.Name, "DROP TABLE IF EXISTS t;\nCREATE TABLE t (id INT PRIMARY KEY);\n")+
		part(bName, "CREATE TABLE u (id INT);\n")+
		"CREATE USER IF NOT EXISTS 'gate_evil'@'%' IDENTIFIED BY PASSWORD '*0000000000000000000000000000000000000000';\n"+
		"GRANT ALL PRIVILEGES ON *.* TO 'gate_evil'@'%' WITH GRANT OPTION;\n"+
		"GRANT SELECT ON `"+a.Name+"`.* TO 'gate_evil'@'%';\n"+
		"GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost';\n")
	plan, err := e.PlanRestore(ctx, "accounts.sql", RestoreOptions{Accounts: true, NoSafetyBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	warned := strings.Join(plan.Warnings, "\n")
	if !strings.Contains(warned, "account 'gate_evil'@'%' gets server-wide privileges from the file: ALL PRIVILEGES ON *.* WITH GRANT OPTION") ||
		strings.Contains(fmt.Sprintf("%+v", plan), "*0000") {
		t.Fatalf("plan warnings %q; parts %+v", warned, plan.Parts)
	}
	res, err := e.Restore(ctx, "accounts.sql", RestoreOptions{Accounts: true, NoSafetyBackup: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Parts.Created, []string{"'gate_evil'@'%'"}) || len(res.Parts.SkippedGrants) != 1 {
		t.Fatalf("created %v skipped %v", res.Parts.Created, res.Parts.SkippedGrants)
	}
	var grants []string
	rows, err := a.Query("SHOW GRANTS FOR 'gate_evil'@'%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g string
		rows.Scan(&g)
		grants = append(grants, g)
	}
	rows.Close()
	all := strings.Join(grants, "\n")
	if !strings.Contains(all, "GRANT ALL PRIVILEGES ON *.* TO `gate_evil`@`%` IDENTIFIED BY PASSWORD '*0000000000000000000000000000000000000000' WITH GRANT OPTION") ||
		!strings.Contains(all, "GRANT SELECT ON `"+a.Name+"`.*") {
		t.Errorf("grants of the foreign account: %s", all)
	}
}
