package sqlsplit

import "testing"

func TestParseAccountStatements(t *testing.T) {
	for sql, want := range map[string]AccountStmt{
		"CREATE USER IF NOT EXISTS `shopapp`@`localhost` IDENTIFIED BY PASSWORD '*AB'":    {Kind: CreateUser, Account: "'shopapp'@'localhost'"},
		"/*M!100005 CREATE ROLE IF NOT EXISTS `crm_reader` */":                            {Kind: CreateRole, Account: "'crm_reader'"},
		"GRANT USAGE ON *.* TO `blogapp`@`%` IDENTIFIED BY PASSWORD '*BF'":                {Kind: GrantOn, Account: "'blogapp'@'%'", Database: "*", Usage: true, Privileges: "USAGE"},
		"GRANT SELECT (`name`, `id`), UPDATE (`name`) ON `shop`.`items` TO `blogapp`@`%`": {Kind: GrantOn, Account: "'blogapp'@'%'", Database: "shop", Privileges: "SELECT (`name`, `id`), UPDATE (`name`)"},
		"GRANT EXECUTE ON PROCEDURE `crm`.`note` TO `crm_reader`":                         {Kind: GrantOn, Account: "'crm_reader'", Database: "crm", Privileges: "EXECUTE"},
		"GRANT ALL PRIVILEGES ON `blog`.* TO 'blogapp'@'%' WITH GRANT OPTION":             {Kind: GrantOn, Account: "'blogapp'@'%'", Database: "blog", Privileges: "ALL PRIVILEGES"},
		"GRANT `crm_reader` TO `crmapp`@`localhost`":                                      {Kind: GrantRole, Account: "'crmapp'@'localhost'", Role: "'crm_reader'"},
		"SET DEFAULT ROLE `crm_reader` FOR `crmapp`@`localhost`":                          {Kind: DefaultRole, Account: "'crmapp'@'localhost'", Role: "'crm_reader'"},
		"/*M!100005 GRANT 'crm_reader' TO 'root'@'localhost' WITH ADMIN OPTION */":        {Kind: GrantRole, Account: "'root'@'localhost'", Role: "'crm_reader'"},
		"GRANT PROXY ON ``@`%` TO `root`@`localhost` WITH GRANT OPTION":                   {Kind: GrantProxy, Account: "'root'@'localhost'"},
		"/*M!100005 SET DEFAULT ROLE NONE FOR 'shopapp'@'localhost' */":                   {Kind: DefaultRole, Account: "'shopapp'@'localhost'"},
		"GRANT SELECT ON `o'k`.* TO 'it''s'@'h'":                                          {Kind: GrantOn, Account: `'it\'s'@'h'`, Database: "o'k", Privileges: "SELECT"},
		"GRANT RELOAD,  PROCESS ON *.* TO `bk`@`localhost` IDENTIFIED BY PASSWORD '*AA'":  {Kind: GrantOn, Account: "'bk'@'localhost'", Database: "*", Privileges: "RELOAD, PROCESS"},
	} {
		got, err := ParseAccount([]byte(sql))
		if err != nil {
			t.Errorf("%s: %v", sql, err)
			continue
		}
		got.DBStart, got.DBEnd, got.User = 0, 0, ""
		if got != want {
			t.Errorf("%s:\n got %+v\nwant %+v", sql, got, want)
		}
		if !AccountStatement([]byte(sql)) {
			t.Errorf("%s: not seen as an account statement", sql)
		}
	}
	for _, bad := range []string{
		"GRANT SELECT ON items TO u@h",    // unqualified
		"GRANT SELECT ON a.* TO u@h, v@h", // two accounts
		"SET DEFAULT ROLE r",              // the restoring account
		"DROP USER u",
	} {
		if _, err := ParseAccount([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	st, _ := ParseAccount([]byte("GRANT ALL ON `shop`.* TO u@h"))
	if got := "GRANT ALL ON `shop`.* TO u@h"[st.DBStart:st.DBEnd]; got != "`shop`" {
		t.Errorf("database token %q", got)
	}
}

// The statements mariadb-dump --system=users wraps accounts in are
// session steps, and /*!80001 */ lines are MySQL's alone.
func TestImportRoleStatements(t *testing.T) {
	for _, sql := range []string{
		"SELECT COALESCE(CURRENT_ROLE(),'NONE') into @current_role",
		"CREATE ROLE IF NOT EXISTS mariadb_dump_import_role",
		"GRANT mariadb_dump_import_role TO CURRENT_USER()",
		"SET ROLE mariadb_dump_import_role",
		"SET ROLE NONE",
		"DROP ROLE mariadb_dump_import_role",
		"/*M!100203 EXECUTE IMMEDIATE CONCAT('SET ROLE ', @current_role) */",
	} {
		if !ImportRoleStatement([]byte(sql)) || !AccountStatement([]byte(sql)) {
			t.Errorf("%s: not seen as a session step of the accounts", sql)
		}
	}
	if ImportRoleStatement([]byte("/*M!100005 CREATE ROLE 'crm_reader' WITH ADMIN mariadb_dump_import_role */")) {
		t.Error("a real role taken for a session step")
	}
	if !MySQLOnly([]byte("/*!80001 ALTER USER 'u'@'h' DEFAULT ROLE NONE */")) || MySQLOnly([]byte("/*!50001 CREATE VIEW v AS SELECT 1 */")) {
		t.Error("MySQLOnly")
	}
}
