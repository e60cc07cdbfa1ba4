package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

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
	for _, d := range res.Parts.Databases {
		if d.SafetyBackup == "" {
			t.Errorf("%s was replaced without a safety backup", d.Target)
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
