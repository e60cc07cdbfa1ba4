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

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// The rebuild: three databases and their accounts backed up on one
// server, restored with --accounts onto an empty one from that one file.
// Every object is identical (CHECKSUM TABLE, SHOW CREATE), every account's
// SHOW GRANTS is identical, and the application users log in with their
// old passwords and see their data. A second restore reports the accounts
// as existing and leaves them as they are.
func TestRestoreWholeServerOntoEmptyServer(t *testing.T) {
	src := newServerFixture(t)
	srcEng := serverEngine(t, src, serverDatabases, true)
	b, err := srcEng.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dst := testdb.NewServer(t, sandbox.Options{})
	e := serverEngineIn(t, dst, srcEng.dir(), serverDatabases, true)
	ctx := context.Background()
	opts := RestoreOptions{Accounts: true}
	plan, err := e.PlanRestore(ctx, b.Filename, opts)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Parts == nil || len(plan.Parts.Databases) != 3 || len(plan.Parts.Accounts) != len(fixtureAccounts) {
		t.Fatalf("plan %+v", plan.Parts)
	}
	for i, d := range plan.Parts.Databases {
		if d.Source != serverDatabases[i] || d.Target != d.Source || d.Exists || d.SafetyBackup {
			t.Errorf("plan database %+v", d)
		}
	}
	if refs := plan.Parts.Databases[0].References; !slices.Equal(refs, []string{"shop"}) {
		t.Errorf("blog's references %v, want [shop]", refs)
	}
	for _, a := range plan.Parts.Accounts {
		if a.Exists {
			t.Errorf("account %s shown as existing on an empty server", a.Name)
		}
	}
	noSecrets(t, fmt.Sprintf("%+v %+v", plan, *plan.Parts))

	res, err := e.Restore(ctx, b.Filename, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Parts.Created, fixtureAccounts) || len(res.Parts.Existing) != 0 || len(res.Parts.SkippedGrants) != 0 {
		t.Fatalf("accounts created %v existing %v skipped %v", res.Parts.Created, res.Parts.Existing, res.Parts.SkippedGrants)
	}
	noSecrets(t, fmt.Sprintf("%+v %+v", res, *res.Parts))
	if ents, _ := audit.Read(e.dir(), 1); len(ents) != 1 || ents[0].Action != "restore" || ents[0].Detail != "into blog,crm,shop; 5 accounts created" {
		t.Errorf("audit %+v", ents)
	}
	for _, db := range serverDatabases {
		if want, got := bkChecksums(t, src, db), bkChecksums(t, dst, db); len(want) == 0 || !mapsEqual(want, got) {
			t.Errorf("%s: checksums %v, want %v", db, got, want)
		}
		if want, got := showCreates(t, src, db), showCreates(t, dst, db); len(want) < 2 || !mapsEqual(want, got) {
			t.Errorf("%s: SHOW CREATE differs:\n got %v\nwant %v", db, got, want)
		}
	}
	want, got := showGrants(t, src, fixtureAccounts), showGrants(t, dst, fixtureAccounts)
	for _, a := range fixtureAccounts {
		if !slices.Equal(want[a], got[a]) {
			t.Errorf("%s: grants\n got %q\nwant %q", a, got[a], want[a])
		}
	}
	if n, err := loginAs(dst, "shopapp", "Sh0p-pass!", "SELECT COUNT(*) FROM shop.items"); err != nil || n != "3" {
		t.Errorf("shopapp logs in: %q %v", n, err)
	}
	if n, err := loginAs(dst, "crmapp", "crm-pass", "SELECT COUNT(*) FROM crm.customers"); err != nil || n != "3" {
		t.Errorf("crmapp (through its default role) logs in: %q %v", n, err)
	}
	if n, err := loginAs(dst, "blogapp", "bl0g-pass", "SELECT COUNT(*) FROM blog.cheap"); err != nil || n != "2" {
		t.Errorf("blogapp reads its view over shop: %q %v", n, err)
	}

	// Again: the accounts exist now and are reported, not replaced.
	execAll(t, dst, "", "ALTER USER 'shopapp'@'localhost' IDENTIFIED BY 'changed-here'")
	res, err = e.Restore(ctx, b.Filename, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Parts.Created) != 0 || !slices.Equal(res.Parts.Existing, fixtureAccounts) {
		t.Fatalf("second restore: created %v existing %v", res.Parts.Created, res.Parts.Existing)
	}
	for _, d := range res.Parts.Databases { // now they exist: swapped in, their old tables kept
		if d.Mode != ModeSwap || d.Previous == "" {
			t.Errorf("%s was replaced without a safety copy: %+v", d.Target, d)
		}
	}
	if _, err := loginAs(dst, "shopapp", "changed-here", "SELECT 1"); err != nil {
		t.Errorf("an existing account was replaced: %v", err)
	}
}

// noSecrets fails when text holds an authentication string.
func noSecrets(t *testing.T, text string) {
	t.Helper()
	for _, s := range []string{"PASSWORD", "*BF9", "*601C", "Sh0p-pass", "IDENTIFIED"} {
		if strings.Contains(text, s) {
			t.Errorf("an authentication string (%q) in %s", s, text)
		}
	}
}

// --database picks one database of a whole-server backup and --into
// renames it: its tables and routines land in the new name, and the names
// of other databases its definitions use (blog's view over shop, crm's
// procedure writing into blog) are kept as written and named in the plan.
func TestRestoreOneDatabaseIntoAnotherKeepsCrossReferences(t *testing.T) {
	src := newServerFixture(t)
	e := serverEngine(t, src, serverDatabases, false)
	ctx := context.Background()
	b, err := e.Backup(ctx, BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ db, into, ref, obj, body string }{
		{"blog", "blog_copy", "shop", "view cheap", "`shop`.`items`"},
		{"crm", "crm_copy", "blog", "PROCEDURE note", "blog.log"},
	} {
		opts := RestoreOptions{Database: c.db, Into: c.into}
		plan, err := e.PlanRestore(ctx, b.Filename, opts)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Parts == nil || len(plan.Parts.Databases) != 1 || plan.Database != c.into || plan.Parts.Databases[0].Source != c.db {
			t.Fatalf("%s: plan %+v", c.db, plan.Parts)
		}
		if refs := plan.Parts.Databases[0].References; !slices.Equal(refs, []string{c.ref}) {
			t.Errorf("%s: references %v, want [%s]", c.db, refs, c.ref)
		}
		if w := strings.Join(plan.Warnings, "\n"); !strings.Contains(w, `name "`+c.ref+`": those names are kept as written`) {
			t.Errorf("%s: the plan does not name the reference: %s", c.db, w)
		}
		if skipped := plan.Parts.Skipped; len(skipped) != 2 {
			t.Errorf("%s: skipped %v", c.db, skipped)
		}
		if _, err := e.Restore(ctx, b.Filename, opts, nil); err != nil {
			t.Fatal(err)
		}
		if want, got := bkChecksums(t, src, c.db), bkChecksums(t, src, c.into); !mapsEqual(want, got) {
			t.Errorf("%s into %s: checksums %v, want %v", c.db, c.into, got, want)
		}
		got := showCreates(t, src, c.into)[c.obj]
		if !strings.Contains(got, c.body) {
			t.Errorf("%s in %s lost its reference %s: %s", c.obj, c.into, c.body, got)
		}
	}
	execAll(t, src, "", "CALL crm_copy.note('from the copy')")
	pool, _ := src.Open("")
	defer pool.Close()
	if rows := queryAll(t, pool, "SELECT what FROM blog.log ORDER BY id"); len(rows) != 2 || rows[1][0] != "from the copy" {
		t.Errorf("crm_copy.note writes into blog.log: %v", rows)
	}
	if _, err := e.PlanRestore(ctx, b.Filename, RestoreOptions{Database: "nope"}); err == nil || !strings.Contains(err.Error(), `holds no database "nope"`) {
		t.Errorf("--database of a database not in the file: %v", err)
	}
}

// A foreign `mariadb-dump --all-databases --system=users` file: restored
// whole with --accounts onto an empty server (the mysql schema in it is
// left alone, as the plan says; root is reported as existing; the app
// user logs in), and a `--databases blog crm shop` file with --database
// crm alone.
func TestRestoreForeignAllDatabasesDump(t *testing.T) {
	src := newServerFixture(t)
	dir := t.TempDir()
	dump := func(name string, args ...string) {
		cmd := exec.Command("mariadb-dump", append([]string{"--no-defaults", "--socket=" + src.Socket, "-uroot"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("mariadb-dump %v: %v: %s", args, err, stderr.String())
		}
		if err := os.WriteFile(filepath.Join(dir, name), out, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// mariadb-dump --system=users stops at an account the server does not
	// load (the sandbox's 'root'@'<hostname>' under skip-name-resolve).
	execAll(t, src, "", "DELETE FROM mysql.global_priv WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1')", "FLUSH PRIVILEGES")
	dump("all.sql", "--all-databases", "--routines", "--events", "--system=users")
	// crm's procedure writes into blog: a database of the file, so the
	// gate lets its definition name it (one outside the file it refuses).
	dump("three.sql", "--databases", "blog", "crm", "shop", "--routines")
	dst := testdb.NewServer(t, sandbox.Options{})
	e := serverEngineIn(t, dst, dir, serverDatabases, true)
	ctx := context.Background()
	plan, err := e.PlanRestore(ctx, "all.sql", RestoreOptions{Accounts: true})
	if err != nil {
		t.Fatal(err)
	}
	var targets []string
	for _, d := range plan.Parts.Databases {
		targets = append(targets, d.Target)
	}
	if !slices.Equal(targets, []string{"blog", "crm", "other", "shop"}) || !slices.Contains(plan.Parts.Skipped, "mysql") {
		t.Fatalf("plan targets %v skipped %v", targets, plan.Parts.Skipped)
	}
	res, err := e.Restore(ctx, "all.sql", RestoreOptions{Accounts: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range serverDatabases {
		if want, got := bkChecksums(t, src, db), bkChecksums(t, dst, db); len(want) == 0 || !mapsEqual(want, got) {
			t.Errorf("%s: checksums %v, want %v", db, got, want)
		}
	}
	if !slices.Contains(res.Parts.Existing, "'root'@'localhost'") || !slices.Contains(res.Parts.Created, "'shopapp'@'localhost'") {
		t.Errorf("accounts created %v existing %v", res.Parts.Created, res.Parts.Existing)
	}
	if n, err := loginAs(dst, "shopapp", "Sh0p-pass!", "SELECT COUNT(*) FROM shop.items"); err != nil || n != "3" {
		t.Errorf("shopapp logs in after a foreign restore: %q %v", n, err)
	}

	// --database picks one of a foreign file; the others are left alone.
	execAll(t, dst, "", "DELETE FROM crm.customers WHERE id = 3", "DELETE FROM shop.orders")
	plan, err = e.PlanRestore(ctx, "three.sql", RestoreOptions{Database: "crm"})
	if err != nil || len(plan.Parts.Databases) != 1 || !slices.Equal(plan.Parts.Databases[0].References, []string{"blog"}) {
		t.Fatalf("plan of --database crm: %+v %v", plan.Parts, err)
	}
	if _, err := e.Restore(ctx, "three.sql", RestoreOptions{Database: "crm"}, nil); err != nil {
		t.Fatal(err)
	}
	if want, got := bkChecksums(t, src, "crm"), bkChecksums(t, dst, "crm"); !mapsEqual(want, got) {
		t.Errorf("crm: checksums %v, want %v", got, want)
	}
	pool, _ := dst.Open("")
	defer pool.Close()
	if n := queryAll(t, pool, "SELECT COUNT(*) FROM shop.orders")[0][0]; n != "0" {
		t.Errorf("--database crm touched shop: %s orders", n)
	}
}
