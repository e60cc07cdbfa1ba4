package config

import (
	"database/sql"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// trickyPassword has every character the option-file and TOML quoting
// rules care about.
const trickyPassword = `pa#ss "w'rd\x;y = z`

// TestOptionFilePasswordLogsIntoRealServer proves, against a real
// MariaDB, that the password lifeboat reads from a my.cnf is the one the
// stock client reads from the same file: both log in as the same user.
func TestOptionFilePasswordLogsIntoRealServer(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE USER IF NOT EXISTS 'lbcfg'@'localhost' IDENTIFIED BY "+sqlString(trickyPassword),
		"GRANT SELECT ON `"+d.Name+"`.* TO 'lbcfg'@'localhost'")
	t.Cleanup(func() { d.DB.Exec("DROP USER IF EXISTS 'lbcfg'@'localhost'") })

	dir := t.TempDir()
	cnf := writeFile(t, dir, "my.cnf", "[client]\nuser = lbcfg\n"+
		"password = "+quoteOptionValue(trickyPassword)+" # the operator's note\n"+
		"[client-mariadb]\nsocket = "+d.Server.Socket+"\n", 0o600)
	cfg, err := loadWithCnf(t, "[database]\nname = \""+d.Name+"\"\n", cnf)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.Password != trickyPassword {
		t.Fatalf("password read as %q", cfg.Database.Password)
	}
	if got := currentUser(t, cfg); got != "lbcfg@localhost" {
		t.Errorf("lifeboat logged in as %q", got)
	}

	out, err := exec.Command("mariadb", "--defaults-file="+cnf, "-N", "-B", "-e", "SELECT CURRENT_USER()").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "lbcfg@localhost" {
		t.Errorf("the stock client with the same my.cnf: %v: %s", err, out)
	}
}

// TestTOMLAndPasswordFileLogIntoRealServer checks the two other ways to
// give the password against the same real server.
func TestTOMLAndPasswordFileLogIntoRealServer(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE USER IF NOT EXISTS 'lbcfg2'@'localhost' IDENTIFIED BY "+sqlString(trickyPassword),
		"GRANT SELECT ON `"+d.Name+"`.* TO 'lbcfg2'@'localhost'")
	t.Cleanup(func() { d.DB.Exec("DROP USER IF EXISTS 'lbcfg2'@'localhost'") })

	dir := t.TempDir()
	writeFile(t, dir, "pw", trickyPassword+"\n", 0o600)
	base := "[database]\nname = \"" + d.Name + "\"\nuser = \"lbcfg2\"\nsocket = \"" + d.Server.Socket + "\"\n"
	for _, extra := range []string{
		"password = " + strconv.Quote(trickyPassword) + "\n",
		"password_file = \"pw\"\n",
	} {
		p := writeFile(t, dir, "config.toml", base+extra, 0o600)
		cfg, err := LoadWith(p, LoadOptions{NoOptionFiles: true})
		if err != nil {
			t.Fatalf("%q: %v", extra, err)
		}
		if got := currentUser(t, cfg); got != "lbcfg2@localhost" {
			t.Errorf("%q: logged in as %q", extra, got)
		}
	}
}

func currentUser(t *testing.T, cfg *Config) string {
	t.Helper()
	m, err := cfg.MySQL()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := mysql.NewConnector(m)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	var user string
	if err := db.QueryRow("SELECT CURRENT_USER()").Scan(&user); err != nil {
		t.Fatalf("log in with the loaded config: %v", err)
	}
	return user
}

// sqlString quotes s as an SQL string literal for test setup statements.
func sqlString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}
