package engine

import (
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// What a whole-server restore selects: system schemas are left alone, a
// database name that is a path is refused (in the file or as --into),
// --into needs --database when the file holds several, and --database
// must name one of the file's databases.
func TestRestoreSelection(t *testing.T) {
	c := sqlsplit.Contents{Databases: []string{"mysql", "blog", "shop"}}
	pick, skipped, err := selection("f.sql", c, RestoreOptions{})
	if err != nil || len(pick.Targets) != 2 || pick.Targets["blog"] != "blog" || strings.Join(skipped, ",") != "mysql" {
		t.Fatalf("all: %+v %v %v", pick, skipped, err)
	}
	pick, _, err = selection("f.sql", c, RestoreOptions{Database: "shop", Into: "shop2"})
	if err != nil || len(pick.Targets) != 1 || pick.Targets["shop"] != "shop2" || len(pick.Allowed) != 2 {
		t.Fatalf("--database shop --into shop2: %+v %v", pick, err)
	}
	for opts, want := range map[RestoreOptions]string{
		{Into: "x"}:                       "add --database DB",
		{Database: "nope"}:                `holds no database "nope"`,
		{Database: "shop", Into: "a/b"}:   `--into "a/b" must not contain /`,
		{Database: "mysql"}:               `holds no database "mysql"`,
		{Database: "shop", Into: "../.."}: "must not contain /",
	} {
		if _, _, err := selection("f.sql", c, opts); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want %q", opts, err, want)
		}
	}
	if _, _, err := selection("f.sql", sqlsplit.Contents{Databases: []string{"ok", "../etc"}}, RestoreOptions{}); err == nil || !strings.Contains(err.Error(), `names database "../etc"`) {
		t.Errorf("a path in the file: %v", err)
	}
}
