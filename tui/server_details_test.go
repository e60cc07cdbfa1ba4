package tui

import (
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// A whole-server backup's details list its databases with their tables,
// rows and sizes, and the accounts it holds; the header names how many
// databases the config covers (issue 17).
func TestWholeServerDetailsAndHeader(t *testing.T) {
	f := newFake()
	m := *f.backups[0].Manifest
	m.Databases = []string{"blog", "crm", "shop"}
	m.Tables = map[string]int64{"blog.posts": 2, "blog.log": 1, "crm.customers": 3, "shop.items": 1200}
	m.DatabaseBytes = map[string]int64{"blog": 2048, "crm": 4096, "shop": 3 << 20}
	m.Accounts = []string{"'shopapp'@'localhost'", "'crm_reader'"}
	f.backups[0].Manifest = &m
	d := newDriverWith(t, f, 100, 40, func(o *Options) { o.DatabaseName = "3 databases" })
	d.mustSee("3 databases @")
	d.press("enter")
	d.mustSee("DATABASE", "blog                                 2            3     2.0 kB", "shop                                 1        1,200     3.1 MB", "and 2 accounts")
}

// r on a whole-server backup opens the picker; enter takes all of them;
// the plan lists every database it replaces, asks for their names, and
// restores them all (no --into).
func TestWholeServerRestoreDialog(t *testing.T) {
	f := newFake()
	f.plan = engine.RestorePlan{Database: "blog,crm", Exists: true, SafetyBackup: true, Parts: &engine.PartsPlan{
		Databases: []engine.DatabasePlan{
			{Source: "blog", Target: "blog", Exists: true, Tables: []string{"posts", "log"}, SafetyBackup: true},
			{Source: "crm", Target: "crm"},
		},
		Skipped: []string{"mysql"},
	}}
	d := newDriver(t, f, 100, 30)
	d.press("r")
	d.mustSee("> all 2 databases: blog, crm")
	d.press("enter")
	d.mustSee("into 2 databases:", "blog: 2 tables replaced, safety backup first", "crm: created from the backup", "Left alone: mysql.", "Type blog,crm to confirm")
	d.typeText("blog,crm")
	d.press("enter")
	d.settle()
	if !f.called("restore options into= accept-unterminated=false") {
		t.Fatalf("calls %v", f.calls)
	}
}
