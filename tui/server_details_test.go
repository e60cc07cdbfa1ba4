package tui

import "testing"

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
