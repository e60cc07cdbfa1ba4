package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

func TestTabsSwitchWithKeys(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.mustSee("[Full backups]", "backup_2026-11-23_02-00-00.sql.gz", "MariaDB 10.11.19", "● connected")
	d.press("tab")
	d.mustSee("[Projects]", "Acme Shop")
	d.press("tab")
	d.mustSee("[Activity]", "alice", "verify")
	d.press("tab")
	d.mustSee("[Timeline]", "Recoverable")
	d.press("tab")
	d.mustSee("[Full backups]")
	d.press("shift+tab")
	d.mustSee("[Timeline]")
	d.press("2")
	d.mustSee("[Projects]")
	d.press("1")
	d.mustSee("[Full backups]", "/var/backups/lifeboat  ✓ writable  41 GB free  12 of 20 kept  last: 3 h ago")
}

func TestStatusStripWarnsWhenStale(t *testing.T) {
	f := newFake()
	f.status.Stale, f.status.LowSpace, f.status.DirWritable = true, true, false
	last := f.backups[2]
	f.status.LastComplete = &last
	d := newDriver(t, f, 100, 24)
	d.mustSee("✗ not writable", "41 GB free (low)", "last: 2 d ago (stale)")
}

func TestFilterNarrowsTableAndKeepsKeys(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("/")
	d.typeText("11-22q")
	if d.quit {
		t.Fatal("q typed into the filter quit the program")
	}
	d.press("backspace", "enter")
	d.mustSee("backup_2026-11-22_02-00-00.sql.gz", "/11-22")
	d.mustNotSee("backup_2026-11-23_02-00-00.sql.gz", "backup_2026-11-21")
	d.press("/", "esc")
	d.mustSee("backup_2026-11-23_02-00-00.sql.gz", "backup_2026-11-21")
}

func TestEnterShowsDetails(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("enter")
	d.mustSee("server         10.11.19-MariaDB", "app.orders", "40,000", "app.customers", "7,921", "last verify", "ok by alice")
	d.press("esc")
	d.mustSee("NAME", "STATE")
}

func TestRestoreNeedsTheTypedName(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("r")
	d.mustSee("Restore backup_2026-11-23_02-00-00.sql.gz", "into database app.",
		"Replaced with the backup's copy: 2 tables: customers, orders", "safety backup of app is taken first", "Type app to confirm")
	d.typeText("apq")
	d.press("enter")
	if f.called("restore backup_2026-11-23_02-00-00.sql.gz") {
		t.Fatal("a wrong name ran the restore")
	}
	d.mustSee(`that is not "app"`)
	d.press("backspace")
	d.typeText("p")
	d.press("enter")
	if !f.called("restore backup_2026-11-23_02-00-00.sql.gz") {
		t.Fatalf("the right name did not run the restore; calls %v", f.calls)
	}
	d.mustSee("restored backup_2026-11-23_02-00-00.sql.gz into app", "…", "m whole message")
	d.press("m")
	d.mustSee("safety backup backup_2026-11-23_05-00-01.sql.gz")
}

func TestRestoreEscCancels(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("r", "esc")
	d.mustSee("cancelled: nothing was changed")
	if f.called("restore backup_2026-11-23_02-00-00.sql.gz") {
		t.Fatal("esc ran the restore")
	}
}

func TestDeleteNamesTheFile(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("down", "d")
	d.mustSee("Delete this backup?", "• backup_2026-11-22_02-00-00.sql.gz")
	d.press("n")
	if f.called("delete backup_2026-11-22_02-00-00.sql.gz") {
		t.Fatal("n deleted the file")
	}
	d.press("d", "y")
	if !f.called("delete backup_2026-11-22_02-00-00.sql.gz") {
		t.Fatalf("y did not delete; calls %v", f.calls)
	}
	d.mustSee("deleted backup_2026-11-22_02-00-00.sql.gz")
}

func TestPruneListsExactlyTheFiles(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("p")
	if !f.called("prune dry=true") || f.called("prune dry=false") {
		t.Fatalf("p must dry-run first; calls %v", f.calls)
	}
	d.mustSee("Keep the newest 20; 2 files go (4.6 MB):",
		"• backup_2026-10-01_02-00-00.sql.gz", "• backup_2026-10-02_02-00-00.sql.gz")
	if n := strings.Count(d.screen(), "• "); n != 2 {
		t.Fatalf("dialog lists %d files, want 2:\n%s", n, d.screen())
	}
	d.press("y")
	if !f.called("prune dry=false") {
		t.Fatalf("confirming did not prune; calls %v", f.calls)
	}
	d.mustSee("pruned 2 backups, 4.6 MB freed")
}

func TestNewBackupRefreshesAndSays(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("n")
	d.mustSee(" backup_2026-11-23_05-00-00.sql.gz done: 2.4 MB, 7 tables, 47,990 rows, 1.2 s\n",
		"  backup_2026-11-23_05-00-00.sql.gz 2026-11-23 05:00")
	if d.m.Busy() {
		t.Fatal("job still marked running after it ended")
	}
}

func TestProgressShowsPercentTableAndTimeLeft(t *testing.T) {
	f := newFake()
	release := make(chan struct{})
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		fn(progress.Snapshot{Op: "backup", Table: "app.orders", TablesDone: 3, TablesTotal: 12, Rows: 20_000, RowsTotal: 48_000,
			Bytes: 1_000_000, BytesTotal: 4_000_000, Elapsed: 2 * time.Second})
		<-release
		return engine.BackupResult{Filename: "backup_x.sql.gz"}, nil
	}
	d := newDriver(t, f, 80, 24)
	d.press("n")
	d.mustSee("New full backup  running", " 25%", "1.0 MB of 4.0 MB", "20,000 of ~48,000 rows",
		"table app.orders (3/12)", "500 kB/s", "0:06 left", "0:02 elapsed", "esc cancel")
	if !d.m.Busy() {
		t.Fatal("Busy() is false while a backup runs")
	}
	d.press("n")
	d.mustSee("a backup is already running")
	close(release)
	d.settle()
	d.mustNotSee("esc cancel")
	d.mustSee("backup_x.sql.gz done")
}

func TestEscAsksBeforeCancelling(t *testing.T) {
	f := newFake()
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		<-ctx.Done()
		return engine.BackupResult{}, ctx.Err()
	}
	d := newDriver(t, f, 80, 24)
	d.press("n", "esc")
	d.mustSee("Cancel the backup?", "partial file is removed")
	d.press("n")
	if d.m.job == nil || d.m.job.state != jobRunning {
		t.Fatal("answering no cancelled the job")
	}
	d.press("esc", "y")
	d.settle()
	if d.m.Busy() {
		t.Fatal("job still running after the cancel")
	}
	d.mustSee("backup cancelled; nothing partial was kept")
}

func TestActionErrorsGoToTheStatusLine(t *testing.T) {
	f := newFake()
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		return engine.BackupResult{}, errors.New("write /var/backups/lifeboat: no space left on device")
	}
	d := newDriver(t, f, 80, 24)
	d.press("n")
	d.mustSee("✗ backup: write /var/backups/lifeboat: no space left on device")
}

// A tab's load error stays in the tab: it must not overwrite what the last
// action said.
func TestLoadErrorsDoNotHideTheLastResult(t *testing.T) {
	f := newFake()
	f.projects = nil
	d := newDriver(t, f, 80, 24)
	p := d.m.tabs[tabProjects].(projectsTab)
	p.b = projectsDown{f}
	d.m.tabs[tabProjects] = p
	d.press("n")
	d.mustSee("backup_2026-11-23_05-00-00.sql.gz done")
	d.press("2")
	d.mustSee("could not read the projects: per-project backups are off", "backup_2026-11-23_05-00-00.sql.gz done")
}

type projectsDown struct{ *fakeBackend }

func (projectsDown) Projects(context.Context) ([]engine.ProjectInfo, error) {
	return nil, errors.New("per-project backups are off")
}

func TestLongServerLabelKeepsTheConnectionState(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.m.opts.ServerLabel = "/tmp/lifeboat-mariadb-4227288898/mysqld.sock"
	d.mustSee("● connected", "…")
}

func TestEngineRefusalShownCleanly(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("2", "b")
	d.settle()
	d.mustSee("✗ project 7 backup: per-project backups are off", "Acme Shop")
	if d.m.Busy() {
		t.Fatal("job still running")
	}
}

func TestRefusedActionIsExplained(t *testing.T) {
	f := newFake()
	f.denied = map[string]error{"restore": errors.New("only @dba may restore")}
	d := newDriver(t, f, 80, 24)
	d.press("r")
	d.mustSee("✗ restore refused: only @dba may restore")
	d.mustNotSee("Type app")
}

func TestProjectRestoreShowsPlanAndNeedsName(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 100, 30)
	d.press("2", "enter")
	d.mustSee("project 7", "project_7_backup_2026-11-22_14-00-00.json", "bob")
	d.press("r")
	d.mustSee("DELETE", "INSERT", "UNCHANGED", "strings", "translations", "108", "total",
		"safety backup of project 7 is taken first", "Type Acme Shop to confirm")
	d.typeText("Acme")
	d.press("enter")
	if f.called("project restore 7 project_7_backup_2026-11-22_14-00-00.json") {
		t.Fatal("a partial name ran the project restore")
	}
	d.typeText(" Shop")
	d.press("enter")
	if !f.called("project restore 7 project_7_backup_2026-11-22_14-00-00.json") {
		t.Fatalf("the project name did not run the restore; calls %v", f.calls)
	}
	d.mustSee("restored project 7 from project_7_backup_2026-11-22_14-00-00.json: 160 rows in 2 tables")
	d.press("esc")
	d.mustSee("Beta")
}

func TestNarrowWindowDropsColumns(t *testing.T) {
	d := newDriver(t, newFake(), 120, 24)
	d.mustSee("NAME", "CREATED", "SIZE", "ROWS", "STATE")
	d.send(tea_resize(64, 24))
	d.mustSee("NAME", "STATE", "✓ verified")
	d.mustNotSee("ROWS", "CREATED")
	for _, l := range strings.Split(d.screen(), "\n") {
		if w := len([]rune(l)); w > 64 {
			t.Fatalf("line is %d wide at 64 columns: %q", w, l)
		}
	}
}

func TestBelowMinimumSizeSaysSo(t *testing.T) {
	d := newDriver(t, newFake(), 50, 12)
	d.mustSee("at least 60×16", "this one is 50×12")
	d.mustNotSee("NAME")
}

func TestNoColorHasNoEscapeCodes(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("r")
	if strings.Contains(d.screen(), "\x1b") {
		t.Fatalf("NO_COLOR screen has escape codes: %q", d.screen())
	}
	c := New(context.Background(), newFake(), Options{})
	c.pinged = true
	if !strings.Contains(c.View().Content, "\x1b") {
		t.Fatal("the colour screen has no escape codes: styles not applied")
	}
}

func TestHelpTogglesFullHelp(t *testing.T) {
	d := newDriver(t, newFake(), 100, 30)
	d.mustNotSee("verify by restoring")
	d.press("?")
	d.mustSee("verify by restoring", "next tab", "refresh")
	d.press("?")
	d.mustNotSee("verify by restoring")
}

func TestQuitAsksWhileWorkRuns(t *testing.T) {
	f := newFake()
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		<-ctx.Done()
		return engine.BackupResult{}, ctx.Err()
	}
	d := newDriver(t, f, 80, 24)
	d.press("n", "q")
	if d.quit {
		t.Fatal("q quit without asking while a backup runs")
	}
	d.mustSee("Quit lifeboat?", "quitting cancels it")
	d.press("y")
	if !d.quit {
		t.Fatal("confirming did not quit")
	}
	d.settle()
	d.mustSee("backup cancelled; nothing partial was kept")
}

func TestQuitWithoutWork(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("q")
	if !d.quit {
		t.Fatal("q did not quit")
	}
}

func TestListErrorShownInPlaceAndRetried(t *testing.T) {
	f := newFake()
	f.listErr = errors.New("open /var/backups/lifeboat: permission denied")
	d := newDriver(t, f, 80, 24)
	d.mustSee("could not read the backups: open /var/backups/lifeboat: permission", "press R")
	d.mustNotSee("loading backups")
	f.mu.Lock()
	f.listErr = nil
	f.mu.Unlock()
	d.press("R")
	d.mustSee("▸backup_2026-11-23_02-00-00.sql.gz")
	d.mustNotSee("could not read")
}

func TestTickReloadsTheList(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.mustNotSee("backup_2026-11-24")
	f.mu.Lock()
	f.backups = append(f.backups, engine.BackupInfo{Filename: "backup_2026-11-24_02-00-00.sql.gz"})
	f.mu.Unlock()
	d.send(tickMsg{})
	d.settle()
	d.mustSee("backup_2026-11-24_02-00-00.sql.gz")
}

func TestProjectBackupsErrorIsShown(t *testing.T) {
	f := newFake()
	f.pbackups = nil
	d := newDriver(t, f, 80, 24)
	d.press("2", "down", "enter")
	d.mustSee("project 9", "no backups of this project yet: press b")
}

func TestGlobalKeysWorkInsideSubViews(t *testing.T) {
	d := newDriver(t, newFake(), 80, 24)
	d.press("2", "enter")
	d.mustSee("project 7")
	d.press("?")
	d.mustSee("go to tab")
	d.press("1")
	d.mustSee("[Full backups]")
	d.press("enter", "3")
	d.mustSee("[Activity]")
	d.press("q")
	if !d.quit {
		t.Fatal("q did not quit from a sub-view")
	}
}

func TestEscInSubViewGoesBackNotCancel(t *testing.T) {
	f := newFake()
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		<-ctx.Done()
		return engine.BackupResult{}, ctx.Err()
	}
	d := newDriver(t, f, 80, 24)
	d.press("n", "enter")
	d.mustSee("last verify")
	d.press("esc")
	d.mustNotSee("Cancel the backup?", "last verify")
	d.press("esc")
	d.mustSee("Cancel the backup?")
	d.press("n")
	d.mustSee("the backup goes on")
}

func TestRefreshKeepsTheSelectedFile(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("down", "down")
	d.mustSee("▸backup_2026-11-21_02-00-00.sql.gz")
	d.press("n")
	d.mustSee("▸backup_2026-11-21_02-00-00.sql.gz", "backup_2026-11-23_05-00-00.sql.gz")
}

func TestLongStatusIsCutToTheWidth(t *testing.T) {
	f := newFake()
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		return engine.BackupResult{}, errors.New(strings.Repeat("very long reason ", 20))
	}
	d := newDriver(t, f, 80, 24)
	d.press("n")
	for _, l := range strings.Split(d.screen(), "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Fatalf("line is %d wide at 80 columns: %q", w, l)
		}
	}
	d.mustSee("✗ backup: very long reason", "…")
}

func TestServerDownShowsInHeaderAndStatus(t *testing.T) {
	f := newFake()
	f.pingErr = errors.New("server db1:3306: connection refused")
	d := newDriver(t, f, 80, 24)
	d.mustSee("✗ disconnected", "✗ server db1:3306: connection refused")
	d.mustNotSee("● connected")
}

func TestVerifyKeys(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("v")
	d.mustSee("verify backup_2026-11-23_02-00-00.sql.gz: ok, 2 checks passed")
	d.press("V")
	if !f.called("verify backup_2026-11-23_02-00-00.sql.gz restore=false") || !f.called("verify backup_2026-11-23_02-00-00.sql.gz restore=true") {
		t.Fatalf("v and V should verify without and with restore; calls %v", f.calls)
	}
	bad := false
	f.verifyOK = &bad
	d.press("v")
	d.mustSee("✗ verify backup_2026-11-23_02-00-00.sql.gz: sha256 failed: mismatch")
}
