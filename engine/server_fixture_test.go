package engine

import (
	"database/sql"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// serverDatabases are the three application databases of the whole-server
// fixture: blog has a view over shop, crm a procedure that writes to blog.
var serverDatabases = []string{"blog", "crm", "shop"}

// newServerFixture starts a fresh server holding the three databases and
// their accounts (a password user, a unix_socket user, a role with a
// default role, column- and routine-level grants, GRANT OPTION).
func newServerFixture(t *testing.T) *sandbox.Server {
	t.Helper()
	srv := testdb.NewServer(t, sandbox.Options{})
	execAll(t, srv, "",
		"CREATE DATABASE shop CHARACTER SET utf8mb4",
		"CREATE DATABASE blog CHARACTER SET latin1",
		"CREATE DATABASE crm CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
		"CREATE TABLE shop.items (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(40) NOT NULL, price DECIMAL(10,2), secret VARCHAR(20)) ENGINE=InnoDB",
		"INSERT INTO shop.items (name, price, secret) VALUES ('pen', 1.50, 'a'), ('ink', 3.25, 'b'), ('pad', 0.99, 'c')",
		"CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, item_id INT, qty INT, KEY (item_id), FOREIGN KEY (item_id) REFERENCES shop.items (id))",
		"INSERT INTO shop.orders VALUES (1, 1, 10), (2, 2, 5)",
		"CREATE TABLE blog.posts (id INT PRIMARY KEY, title VARCHAR(80), body TEXT)",
		"INSERT INTO blog.posts VALUES (1, 'hello', 'first post'), (2, 'café', NULL)",
		"CREATE TABLE blog.log (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(80))",
		"CREATE VIEW blog.cheap AS SELECT id, name FROM shop.items WHERE price < 2",
		"CREATE TABLE crm.customers (id INT PRIMARY KEY, email VARCHAR(80) UNIQUE)",
		"INSERT INTO crm.customers VALUES (1, 'a@example.com'), (2, 'b@example.com'), (3, 'c@example.com')",
		"CREATE PROCEDURE crm.note(IN msg VARCHAR(80)) MODIFIES SQL DATA INSERT INTO blog.log (what) VALUES (msg)",
		"CREATE FUNCTION crm.total() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM customers)",
		"CALL crm.note('from crm')",
		// accounts
		"CREATE USER 'shopapp'@'localhost' IDENTIFIED BY 'Sh0p-pass!'",
		"GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'shopapp'@'localhost'",
		"CREATE USER 'blogapp'@'%' IDENTIFIED BY 'bl0g-pass'",
		"GRANT ALL PRIVILEGES ON blog.* TO 'blogapp'@'%' WITH GRANT OPTION",
		"GRANT SELECT (id, name), UPDATE (name) ON shop.items TO 'blogapp'@'%'",
		"CREATE USER 'ops'@'localhost' IDENTIFIED VIA unix_socket",
		"GRANT SELECT ON crm.* TO 'ops'@'localhost'",
		"CREATE ROLE crm_reader",
		"GRANT SELECT ON crm.customers TO crm_reader",
		"GRANT EXECUTE ON PROCEDURE crm.note TO crm_reader",
		"CREATE USER 'crmapp'@'localhost' IDENTIFIED BY 'crm-pass'",
		"GRANT crm_reader TO 'crmapp'@'localhost'",
		"SET DEFAULT ROLE crm_reader FOR 'crmapp'@'localhost'",
		"GRANT EXECUTE ON FUNCTION crm.total TO 'crmapp'@'localhost'",
		// an account of no selected database, for the named-databases case
		"CREATE DATABASE other",
		"CREATE USER 'otherapp'@'localhost' IDENTIFIED BY 'x'",
		"GRANT ALL ON other.* TO 'otherapp'@'localhost'",
	)
	return srv
}

// serverEngine builds an engine on srv whose config selects names.
func serverEngine(t *testing.T, srv *sandbox.Server, names []string, accounts bool) *Engine {
	t.Helper()
	return serverEngineIn(t, srv, filepath.Join(t.TempDir(), "backups"), names, accounts)
}

// serverEngineIn is serverEngine with a given backup.dir (two servers
// sharing one directory and its signing key: a rebuild).
func serverEngineIn(t *testing.T, srv *sandbox.Server, dir string, names []string, accounts bool) *Engine {
	t.Helper()
	cfg := &config.Config{
		Database: config.Database{Socket: srv.Socket, User: "root", Names: names, Accounts: accounts},
		Backup: config.Backup{Dir: dir, Keep: 20, Compression: "gzip",
			Timezone: "Local", StaleAfter: config.Duration{Duration: 26 * time.Hour}},
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func execAll(t *testing.T, srv *sandbox.Server, db string, stmts ...string) {
	t.Helper()
	pool, err := srv.Open(db)
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

// queryAll returns every row of a query as strings, NULL as "NULL".
func queryAll(t *testing.T, pool *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := pool.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fixtureAccounts are the fixture's accounts of blog, crm and shop, as
// manifests name them.
var fixtureAccounts = []string{"'crm_reader'", "'blogapp'@'%'", "'crmapp'@'localhost'", "'ops'@'localhost'", "'shopapp'@'localhost'"}

// showGrants is SHOW GRANTS of every named account (and SHOW CREATE USER
// of users), for comparing two servers.
func showGrants(t *testing.T, srv *sandbox.Server, accounts []string) map[string][]string {
	t.Helper()
	pool, err := srv.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	out := map[string][]string{}
	for _, a := range accounts {
		for _, r := range queryAll(t, pool, "SHOW GRANTS FOR "+a) {
			out[a] = append(out[a], sortColumnLists(r[0]))
		}
		if strings.Contains(a, "@") {
			out[a] = append(out[a], queryAll(t, pool, "SHOW CREATE USER "+a)[0][0])
		}
	}
	return out
}

// readBackupSQL is the uncompressed text of a gzip backup.
func readBackupSQL(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := catalog.NewReader(f, "gzip")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// showCreates is SHOW CREATE of every table, view, routine, trigger and
// event of db, by kind and name.
func showCreates(t *testing.T, srv *sandbox.Server, db string) map[string]string {
	t.Helper()
	pool, err := srv.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	pool.SetMaxOpenConns(1)
	out := map[string]string{}
	q := func(key, stmt string, col int) {
		rows := queryAll(t, pool, stmt)
		out[key] = rows[0][col]
	}
	for _, r := range queryAll(t, pool, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", db) {
		if r[1] == "VIEW" {
			q("view "+r[0], "SHOW CREATE VIEW `"+r[0]+"`", 1)
		} else {
			q("table "+r[0], "SHOW CREATE TABLE `"+r[0]+"`", 1)
		}
	}
	for _, r := range queryAll(t, pool, "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?", db) {
		q(r[0]+" "+r[1], "SHOW CREATE "+r[0]+" `"+r[1]+"`", 2)
	}
	for _, r := range queryAll(t, pool, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?", db) {
		q("trigger "+r[0], "SHOW CREATE TRIGGER `"+r[0]+"`", 2)
	}
	for _, r := range queryAll(t, pool, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?", db) {
		q("event "+r[0], "SHOW CREATE EVENT `"+r[0]+"`", 3)
	}
	return out
}

// loginAs connects to srv as user with password and runs query.
func loginAs(srv *sandbox.Server, user, password, query string) (string, error) {
	c := srv.Config("")
	c.User, c.Passwd = user, password
	connector, err := mysql.NewConnector(c)
	if err != nil {
		return "", err
	}
	pool := sql.OpenDB(connector)
	defer pool.Close()
	var v string
	err = pool.QueryRow(query).Scan(&v)
	return v, err
}

// sortColumnLists sorts the columns of "SELECT (`b`, `a`)": the server
// lists a column grant's columns in the order of its own hash table, which
// differs between two servers holding the same grant.
func sortColumnLists(grant string) string {
	var b strings.Builder
	for {
		i := strings.Index(grant, " (`")
		if i < 0 {
			b.WriteString(grant)
			return b.String()
		}
		j := strings.Index(grant[i:], "`)")
		if j < 0 {
			b.WriteString(grant)
			return b.String()
		}
		cols := strings.Split(grant[i+2:i+j+1], ", ")
		slices.Sort(cols)
		b.WriteString(grant[:i+2] + strings.Join(cols, ", ") + ")")
		grant = grant[i+j+2:]
	}
}
