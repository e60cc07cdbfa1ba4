package engine

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// database.accounts: the file holds the accounts with privileges on the
// selected databases (not otherapp, whose grants are on another one), with
// their auth strings; the manifest and the backup result name them only.
func TestBackupAccountsOfSelectedDatabases(t *testing.T) {
	src := newServerFixture(t)
	e := serverEngine(t, src, serverDatabases, true)
	res, err := e.Backup(context.Background(), BackupOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := bkManifest(t, e.dir(), res.Filename)
	want := slices.Clone(fixtureAccounts)
	if !slices.Equal(m.Accounts, want) {
		t.Fatalf("manifest accounts %v, want %v", m.Accounts, want)
	}
	raw, err := os.ReadFile(res.Path + catalog.ManifestSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "*") && strings.Contains(string(raw), "PASSWORD") {
		t.Fatalf("the manifest holds an auth string: %s", raw)
	}
	sql := readBackupSQL(t, res.Path)
	for _, s := range []string{
		"CREATE USER IF NOT EXISTS `shopapp`@`localhost` IDENTIFIED BY PASSWORD '*",
		"CREATE USER IF NOT EXISTS `ops`@`localhost` IDENTIFIED VIA unix_socket",
		"CREATE ROLE IF NOT EXISTS `crm_reader`",
		"GRANT `crm_reader` TO `crmapp`@`localhost`",
		"SET DEFAULT ROLE `crm_reader` FOR `crmapp`@`localhost`",
		"GRANT SELECT (`name`, `id`), UPDATE (`name`) ON `shop`.`items` TO `blogapp`@`%`",
		"GRANT EXECUTE ON PROCEDURE `crm`.`note` TO `crm_reader`",
		"WITH GRANT OPTION",
	} {
		if !strings.Contains(sql, s) {
			t.Errorf("the file lacks %q", s)
		}
	}
	if strings.Contains(sql, "otherapp") {
		t.Error("the file holds otherapp, whose privileges are on another database")
	}
}
