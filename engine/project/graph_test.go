package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestGraphShapes(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	s, err := LoadSchema(context.Background(), d.DB)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Build(s, graphCfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.Order, ","); got != "projects,areas,links,sections,items,tags,notes" {
		t.Fatalf("order = %s", got)
	}
	if len(g.Via["links"]) != 2 {
		t.Fatalf("links should be reached two ways: %v", g.Via["links"])
	}
	if len(g.Self["sections"]) != 1 || len(g.Via["sections"][0].Columns) != 2 {
		t.Fatalf("sections: self %v via %v", g.Self["sections"], g.Via["sections"])
	}
	counts, err := Counts(context.Background(), d.DB, g, "1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"projects": 1, "areas": 2, "sections": 4, "items": 4, "notes": 3, "tags": 3, "links": 3}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("project 1 %s: %d rows, want %d", k, counts[k], v)
		}
	}
	tree := g.Tree(counts)
	if !strings.Contains(tree, "      items  4 rows") {
		t.Errorf("tree:\n%s", tree)
	}
	// A hostile id is only ever a bound value: it runs nothing.
	if _, err = Counts(context.Background(), d.DB, g, "1; DROP TABLE items"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../1", "1; DROP TABLE items", "", "a/b", "..", "x\x00"} {
		_, err := Export(context.Background(), d.DB, graphCfg, ExportOptions{ID: id, Dir: t.TempDir(), Name: "x.json"})
		if err == nil || !strings.Contains(err.Error(), "not a usable project id") {
			t.Errorf("export of id %q: err = %v, want a refusal", id, err)
		}
	}
	if n := scalar(t, d.DB, "SELECT COUNT(*) FROM items"); n != "6" {
		t.Errorf("items has %s rows after a hostile id", n)
	}
}

func TestGraphRefusesSelfReferenceWithoutPrimaryKey(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(20))",
		"CREATE TABLE nodes (code INT NOT NULL UNIQUE, project_id INT NOT NULL, parent_code INT NULL, FOREIGN KEY (project_id) REFERENCES projects (id), FOREIGN KEY (parent_code) REFERENCES nodes (code))",
	)
	s, err := LoadSchema(context.Background(), d.DB)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(s, Config{Table: "projects", IDColumn: "id", NameColumn: "name"})
	if err == nil || !strings.Contains(err.Error(), `table "nodes" references itself`) {
		t.Fatalf("err = %v, want a refusal naming nodes", err)
	}
	_, err = Build(s, Config{Table: "projects", IDColumn: "id", NameColumn: "title"})
	if err == nil || !strings.Contains(err.Error(), `no column "title"`) {
		t.Fatalf("err = %v, want a refusal naming the missing column", err)
	}
	_, err = Build(s, Config{Table: "projects", IDColumn: "id", NameColumn: "name", Relations: []Relation{{Table: "nodes", Column: "nope", References: "projects.id"}}})
	if err == nil || !strings.Contains(err.Error(), `projects.relation #1: table "nodes" has no column "nope"`) {
		t.Fatalf("err = %v, want a refusal naming the relation", err)
	}
}

func TestWidens(t *testing.T) {
	cases := []struct {
		from, to string
		ok       bool
	}{
		{"int(11)", "bigint(20)", true}, {"bigint(20)", "int(11)", false},
		{"int(10) unsigned", "bigint(20)", true}, {"int(11)", "int(10) unsigned", false},
		{"varchar(50)", "varchar(100)", true}, {"varchar(50)", "varchar(40)", false}, {"varchar(50)", "text", true},
		{"text", "varchar(50)", false}, {"decimal(10,2)", "decimal(12,3)", true}, {"decimal(10,2)", "decimal(10,3)", false},
		{"float", "double", true}, {"double", "float", false}, {"enum('a','b')", "enum('a','b','c')", true},
		{"enum('a','b')", "enum('a','bc')", false}, {"datetime", "datetime(6)", true}, {"datetime(6)", "datetime", false},
		{"blob", "longblob", true}, {"varbinary(10)", "varchar(10)", false}, {"date", "datetime", false},
	}
	for _, c := range cases {
		if got := Widens(c.from, c.to); got != c.ok {
			t.Errorf("Widens(%s, %s) = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}

func TestExportFailureLeavesNothingBehind(t *testing.T) {
	d := testdb.New(t)
	loadSQL(t, d, "graph.sql")
	dir := t.TempDir()
	name := fileName("1", time.Now())
	if err := os.WriteFile(filepath.Join(dir, name), []byte("taken"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Export(context.Background(), d.DB, graphCfg, ExportOptions{ID: "1", Dir: dir, Name: name, CreatedAt: time.Now()})
	if !errors.Is(err, os.ErrExist) {
		t.Fatalf("export over an existing file: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Export(ctx, d.DB, graphCfg, ExportOptions{ID: "1", Dir: dir, Name: "other.json", CreatedAt: time.Now()}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled export: err = %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != name {
		t.Errorf("directory holds %v, want only the existing file", ents)
	}
	if _, err := Export(context.Background(), d.DB, graphCfg, ExportOptions{ID: "42", Dir: dir, Name: "x.json"}); err == nil || !strings.Contains(err.Error(), `no row with id = "42" in table "projects"`) {
		t.Errorf("export of a missing project: %v", err)
	}
}
