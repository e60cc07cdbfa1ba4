package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// Issue 13 item 9 on the command line: the interactive restore's plan
// counts replaced, dropped and new tables and the views apart, instead of
// calling every table now in the database "replaced".
func TestIssue13Item9CLIRestorePlanCountsDroppedAndViewsApart(t *testing.T) {
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: &out}
	showRestorePlan(e, engine.RestorePlan{Filename: "b.sql.gz", Database: "shop", Exists: true, SafetyBackup: true,
		Tables: []string{"customers", "newtable", "v_extra"}, Replaced: []string{"customers"},
		Dropped: []string{"newtable", "v_extra"}, Created: []string{"orders"}, Views: []string{"v_customers"}})
	want := "1 table(s) replaced by the backup's, 2 table(s) and view(s) dropped (not in the backup), 1 table(s) new, 1 view(s) from the backup"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("restore plan on the terminal:\n%s\nwant %q", out.String(), want)
	}
	if strings.Contains(out.String(), "3 table(s)") {
		t.Fatalf("the plan still counts every table as replaced:\n%s", out.String())
	}
}
