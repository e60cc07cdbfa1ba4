package tui

import (
	"context"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// serverFake plans a whole-server file of three databases and accounts
// the way the engine does: --database keeps one database and leaves the
// others alone, --accounts lists the accounts. It records the options of
// each plan and restore.
type serverFake struct {
	*fakeBackend
	plans, restores []engine.RestoreOptions
}

func newServerFake() *serverFake { return &serverFake{fakeBackend: newFake()} }

func (f *serverFake) PlanRestore(_ context.Context, name string, o engine.RestoreOptions) (engine.RestorePlan, error) {
	f.mu.Lock()
	f.plans = append(f.plans, o)
	f.mu.Unlock()
	all := []engine.DatabasePlan{
		{Source: "blog", Target: "blog", Exists: true, Tables: []string{"posts", "comments"}, SafetyBackup: true},
		{Source: "crm", Target: "crm", Exists: true, Tables: []string{"customers"}, SafetyBackup: true, References: []string{"shop"}},
		{Source: "shop", Target: "shop"},
	}
	parts := &engine.PartsPlan{Skipped: []string{"mysql"}, AccountsInFile: 4}
	for _, d := range all {
		if o.Database == "" || o.Database == d.Source {
			parts.Databases = append(parts.Databases, d)
		} else {
			parts.Skipped = append(parts.Skipped, d.Source)
		}
	}
	if o.Accounts {
		parts.Accounts = []engine.AccountPlan{{Name: "'blogapp'@'%'"}, {Name: "'crmapp'@'localhost'"}, {Name: "'admin'@'localhost'", Exists: true}}
	}
	db := "blog,crm,shop"
	if o.Database != "" {
		db = o.Database
	}
	return engine.RestorePlan{Filename: name, Database: db, Exists: true, SafetyBackup: true, Parts: parts}, nil
}

func (f *serverFake) Restore(_ context.Context, name string, o engine.RestoreOptions, _ progress.Func) (engine.RestoreResult, error) {
	f.mu.Lock()
	f.restores = append(f.restores, o)
	f.mu.Unlock()
	res := engine.RestoreResult{Filename: name, Database: "blog,crm,shop", Statements: 99, Duration: time.Second, Parts: &engine.PartsResult{}}
	if o.Database != "" {
		res.Database = o.Database
		res.Parts.Databases = []engine.DatabaseRestored{{Source: o.Database, Target: o.Database, SafetyBackup: "backup_2026-11-23_05-00-01.sql.gz"}}
	}
	if o.Accounts {
		res.Parts.Created, res.Parts.Existing = []string{"'blogapp'@'%'", "'crmapp'@'localhost'"}, []string{"'admin'@'localhost'"}
	}
	return res, nil
}

func (f *serverFake) restored() []engine.RestoreOptions {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.restores)
}

// Picking one database and the accounts: the plan shown is the engine's
// plan of that choice (one database, the accounts created and the ones
// left alone), the user types that database's name, and the restore gets
// --database and --accounts (issue 17).
func TestWholeServerPickOneDatabaseWithAccounts(t *testing.T) {
	f := newServerFake()
	d := newDriver(t, f, 120, 30)
	d.press("r")
	d.mustSee("This backup holds 3 databases and accounts. Restore:", "> all 3 databases: blog, crm, shop",
		"  crm only", "[ ] and the accounts", "Never restored: mysql (system schema).", "enter show the plan")
	d.press("j", "j", "a")
	d.mustSee("> crm only", "[x] and the accounts")
	d.press("enter")
	d.mustSee("into 1 database:", "crm: 1 table replaced, safety backup first; names shop (kept as written)",
		"Left alone: mysql, blog, shop.", "Accounts created: 'blogapp'@'%', 'crmapp'@'localhost'.",
		"Accounts already here, left as they are: 'admin'@'localhost'.", "Type crm to confirm")
	d.mustNotSee("posts")
	d.typeText("blog,crm,shop")
	d.press("enter")
	d.mustSee(`that is not "crm"`)
	if len(f.restored()) != 0 {
		t.Fatalf("a wrong name started a restore: %+v", f.restored())
	}
	for range len("blog,crm,shop") {
		d.press("backspace")
	}
	d.typeText("crm")
	d.press("enter")
	d.settle()
	got := f.restored()
	if len(got) != 1 || got[0].Database != "crm" || !got[0].Accounts || got[0].Into != "" {
		t.Fatalf("restore options %+v, want --database crm --accounts", got)
	}
	d.press("m") // the whole message
	d.mustSee("into crm: 99 statements in 1.0 s; safety backup of crm: backup_2026-11-", "23_05-00-01.sql.gz; 2 accounts created, 1 left as they were")
}

// The whole file without accounts: the confirmation lists every database
// and says the accounts are not restored; the user types the list, as
// the command line asks (restore NAME: "blog,crm,shop").
func TestWholeServerPickAllWithoutAccounts(t *testing.T) {
	f := newServerFake()
	d := newDriver(t, f, 100, 30)
	d.press("r", "j", "k", "enter")
	d.mustSee("into 3 databases:", "blog: 2 tables replaced, safety backup first", "shop: created from the backup",
		"Type blog,crm,shop to confirm")
	d.mustNotSee("Accounts created")
	d.typeText("blog,crm,shop")
	d.press("enter")
	d.settle()
	got := f.restored()
	if len(got) != 1 || got[0].Database != "" || got[0].Accounts {
		t.Fatalf("restore options %+v, want every database and no accounts", got)
	}
}

// esc in the picker plans and restores nothing.
func TestWholeServerPickEscCancels(t *testing.T) {
	f := newServerFake()
	d := newDriver(t, f, 100, 30)
	d.press("r", "a", "esc")
	d.mustSee("cancelled: nothing was changed")
	d.mustNotSee("and the accounts")
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.plans) != 1 || len(f.restores) != 0 {
		t.Fatalf("plans %+v, restores %+v: esc must stop after the first plan", f.plans, f.restores)
	}
}

// The picker and the plan of its choice at 80x24, as the user sees them.
func TestGoldenWholeServerPick(t *testing.T) {
	for _, step := range []struct {
		name string
		keys []string
		wait string
	}{
		{"picker", nil, "and the accounts"},
		{"plan", []string{"j", "a", "enter"}, "Type blog to confirm"},
	} {
		t.Run(step.name, func(t *testing.T) {
			m := New(context.Background(), newServerFake(), Options{DatabaseName: "3 databases", NoColor: true, Now: func() time.Time { return fixedNow }})
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
			waitText(t, tm, "2026-11-21")
			tm.Send(keyMsg("r"))
			if len(step.keys) > 0 {
				waitText(t, tm, "Restore:")
			}
			for _, k := range step.keys {
				tm.Send(keyMsg(k))
			}
			waitText(t, tm, step.wait)
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

// The picker's choices map to restore's options: all (no --database),
// one (--database), and a file of one database picks only the accounts.
func TestPartsPickOptions(t *testing.T) {
	three := partsPick{databases: []string{"blog", "crm", "shop"}, accounts: 2}
	for cursor, want := range []string{"", "blog", "crm", "shop"} {
		three.cursor = cursor
		if o := three.options(); o.Database != want || o.Accounts {
			t.Errorf("cursor %d: %+v, want --database %q", cursor, o, want)
		}
	}
	one := partsPick{databases: []string{"blog"}, accounts: 3, withAcc: true}
	if rows, o := one.rows(), one.options(); len(rows) != 1 || rows[0] != "blog" || o.Database != "" || !o.Accounts {
		t.Errorf("one database: rows %v options %+v", rows, o)
	}
}
