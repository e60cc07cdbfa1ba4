package binlog

import (
	"os"
	"strings"
	"testing"
)

// TestParseRowsAndDDL reads real mariadb-binlog 10.11 output (decode-rows)
// of: CREATE DATABASE, CREATE TABLE, a 2-row INSERT, a 2-row UPDATE, an
// ALTER TABLE and a 1-row DELETE, each its own transaction.
func TestParseRowsAndDDL(t *testing.T) {
	f, err := os.Open("testdata/rows-and-ddl.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []Transaction
	if err := Parse(f, "binlog.000001", func(tx Transaction) error { got = append(got, tx); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		gtid, kind, db string
		rows           int
		stmt           string
	}{
		{"0-1-1", KindDDL, "", 0, "create database app"},
		{"0-1-2", KindDDL, "app", 0, "create table t"},
		{"0-1-3", KindInsert, "app", 2, ""},
		{"0-1-4", KindUpdate, "app", 2, ""},
		{"0-1-5", KindDDL, "app", 0, "alter table t add column w int"},
		{"0-1-6", KindDelete, "app", 1, ""},
	}
	if len(got) < len(want) {
		t.Fatalf("%d transactions, want at least %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.GTID != w.gtid || g.Kind != w.kind || g.Database != w.db || g.Rows != w.rows || !strings.HasPrefix(g.Statement, w.stmt) || g.File != "binlog.000001" {
			t.Errorf("transaction %d: %+v, want %+v", i, g, w)
		}
		if g.Position == 0 || g.End <= g.Position || g.Time.IsZero() {
			t.Errorf("transaction %d: position %d end %d time %v", i, g.Position, g.End, g.Time)
		}
		if i > 0 && g.Position < got[i-1].End {
			t.Errorf("transaction %d starts at %d, before the previous one ends (%d)", i, g.Position, got[i-1].End)
		}
	}
	if got[2].Tables[0] != "app.t" {
		t.Errorf("insert tables %v, want app.t", got[2].Tables)
	}
}

// TestConfinedRefusesOtherDatabases: statements that would reach outside
// the replayed database are refused; ordinary DDL of it is not.
func TestConfinedRefusesOtherDatabases(t *testing.T) {
	others := []string{"app", "crm", "mysql"}
	for _, c := range []struct {
		q  Query
		ok bool
	}{
		{Query{"app", "ALTER TABLE t ADD COLUMN x INT"}, true},
		{Query{"app", "ALTER TABLE `app`.t ADD COLUMN x INT"}, true},
		{Query{"app", "ALTER TABLE crm.t ADD COLUMN x INT"}, false},
		{Query{"app", "INSERT INTO t SELECT * FROM `crm`.`t`"}, false},
		{Query{"app", "DROP DATABASE app"}, false},
		{Query{"", "DROP DATABASE app"}, false},
		{Query{"", "CREATE DATABASE other"}, true}, // not app's: not replayed
		{Query{"crm", "UPDATE app.t SET x = 1"}, false},
		{Query{"crm", "UPDATE t SET x = 1"}, true},
		{Query{"app", "GRANT ALL ON *.* TO x"}, false},
		{Query{"app", "UPDATE mysql.user SET x = 1"}, false},
	} {
		err := Confined(c.q, "app", others)
		if (err == nil) != c.ok {
			t.Errorf("Confined(%+v) = %v, want ok %v", c.q, err, c.ok)
		}
	}
}
