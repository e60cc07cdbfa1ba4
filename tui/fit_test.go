package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// fitsScreen fails unless the screen is at most h lines of at most w columns.
func fitsScreen(t *testing.T, d *driver, w, h int) []string {
	t.Helper()
	lines := strings.Split(d.screen(), "\n")
	if len(lines) > h {
		t.Fatalf("screen is %d lines at %d×%d:\n%s", len(lines), w, h, d.screen())
	}
	for _, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Fatalf("line is %d wide at %d columns: %q", n, w, l)
		}
	}
	return lines
}

func sixTablePlan(f *fakeBackend) {
	f.pplan.Tables = nil
	for i, name := range []string{"projects", "strings", "translations", "languages", "comments", "attachments"} {
		f.pplan.Tables = append(f.pplan.Tables, engine.TablePlan{Table: name, Delete: int64(i * 10), Insert: int64(i*10 + 5), Unchanged: 4000})
	}
}

// The project restore dialog with a 6-table plan fits 80×24 with the facts,
// every table, the safety backup sentence and the typed-name input showing,
// also after a wrong name adds its line.
func TestProjectRestoreDialogFits80x24(t *testing.T) {
	f := newFake()
	sixTablePlan(f)
	d := newDriver(t, f, 80, 24)
	d.press("2", "enter", "r")
	fitsScreen(t, d, 80, 24)
	d.mustSee("Restore project Acme Shop?", "project  7 (Acme Shop)", "backup   project_7_backup_2026-11-22_14-00-00.json",
		"taken    2026-11-22 14:00 by bob", "TABLE", "projects", "attachments", "total",
		"A safety backup of project 7 is taken first, so this can be undone.", "Type Acme Shop to confirm", "> _",
		"enter confirm the typed name")
	d.typeText("Acme")
	d.press("enter")
	fitsScreen(t, d, 80, 24)
	d.mustSee(`that is not "Acme Shop"`, "> Acme_", "Type Acme Shop to confirm", "total", "safety backup of project 7")
}

// A plan longer than the screen is cut to "… and N more" rows; the total
// and the input stay.
func TestLongPlanIsCutWithAndMore(t *testing.T) {
	f := newFake()
	f.pplan.Tables = nil
	for i := range 30 {
		f.pplan.Tables = append(f.pplan.Tables, engine.TablePlan{Table: fmt.Sprintf("table_%02d", i), Insert: 1})
	}
	d := newDriver(t, f, 80, 24)
	d.press("2", "enter", "r")
	fitsScreen(t, d, 80, 24)
	d.mustSee("table_00", "… and ", "more", "total", "30", "safety backup of project 7", "Type Acme Shop to confirm", "> _")
	d.mustNotSee("table_29")
}

// Prune lists the files it removes; a long list still leaves the answer
// keys on screen, and says how many more go.
func TestPruneDialogFits80x24(t *testing.T) {
	for _, n := range []int{12, 30} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFake()
			f.prune.Deleted = nil
			for i := range n {
				f.prune.Deleted = append(f.prune.Deleted, fmt.Sprintf("backup_2026-10-%02d_02-00-00.sql.gz", i+1))
			}
			d := newDriver(t, f, 80, 24)
			d.press("p")
			fitsScreen(t, d, 80, 24)
			d.mustSee("Prune old backups?", fmt.Sprintf("%d files go", n), "• backup_2026-10-01_02-00-00.sql.gz", "y yes   n/esc no")
			if n == 30 {
				d.mustSee("… and ", "more")
			} else {
				d.mustSee("• backup_2026-10-12_02-00-00.sql.gz")
			}
		})
	}
}

// The status line is one line cut with "…"; m shows all of it.
func TestLongStatusStaysOnOneLine(t *testing.T) {
	f := newFake()
	d := newDriver(t, f, 80, 24)
	d.press("2", "enter", "r")
	d.typeText("Acme Shop")
	d.press("enter")
	lines := fitsScreen(t, d, 80, 24)
	if len(lines) != 24 {
		t.Fatalf("screen is %d lines, want 24", len(lines))
	}
	status := lines[len(lines)-2]
	if !strings.HasPrefix(status, " restored project 7 from project_7_backup_2026-11-22_14-00-00.json: 160 rows") || !strings.HasSuffix(status, "…") {
		t.Fatalf("status line above the help is %q, want the message cut with …:\n%s", status, d.screen())
	}
	if !strings.HasPrefix(lines[len(lines)-3], " ───") {
		t.Fatalf("the status took more than one line:\n%s", d.screen())
	}
	d.mustSee("m whole message")
	d.press("m")
	d.mustSee("safety backup project_7_backup_2026-11-23_05-00-02.json")
	fitsScreen(t, d, 80, 24)
	d.press("m")
	d.mustNotSee("safety backup project_7_backup_2026-11-23_05-00-02.json")
}

// At 80 columns the Activity tab keeps the object (the file name), and
// shows a failed entry's error.
func TestActivityKeepsObjectAt80(t *testing.T) {
	f := newFake()
	at := time.Date(2026, 11, 23, 2, 53, 0, 0, time.UTC)
	f.activity = []engine.AuditEntry{
		{Time: at, OSUser: "root", Action: "project_restore", Object: "project_1_backup_2026-11-23_02-50-00.json", Result: "rolled_back",
			DurationMS: 3400, Error: "project 1 restore: insert into translations: Error 1062 (23000): Duplicate entry '42-fr' for key 'PRIMARY'; every change was rolled back"},
		{Time: at.Add(-3 * time.Minute), OSUser: "root", Action: "project_backup", Object: "project_1_backup_2026-11-23_02-50-00.json", Result: "ok", DurationMS: 800},
		{Time: at.Add(-4 * time.Minute), OSUser: "root", Action: "create", Object: "backup_2026-11-23_02-49-00.sql.gz", Result: "ok", DurationMS: 14_200},
	}
	d := newDriver(t, f, 80, 24)
	d.press("3")
	fitsScreen(t, d, 80, 24)
	d.mustSee("TIME", "ACTION", "OBJECT", "RESULT", "11-23 02:53", "project_restore",
		"project_1_backup_2026-11-23_02-50-00.json", "backup_2026-11-23_02-49-00.sql.gz",
		"✗ rolled_back: project 1 restore: insert into translations: Error 1062")
	d.press("down")
	d.mustNotSee("Error 1062")
	d.send(tea_resize(120, 30))
	d.mustSee("USER", "DURATION", "2026-11-23 02:53", "project_1_backup_2026-11-23_02-50-00.json")
}

// The header keeps the server's short name and version at 80 columns,
// in colour and without.
func TestHeaderShowsVersionAt80(t *testing.T) {
	for _, noColor := range []bool{true, false} {
		f := newFake()
		f.version = "10.11.19-MariaDB-0+deb12u1-log"
		m := New(context.Background(), f, Options{DatabaseName: "app", ServerLabel: "vm", NoColor: noColor, Now: func() time.Time { return fixedNow }})
		nm, _ := m.Update(pingMsg{version: f.version})
		head := ansi.Strip(strings.Split(nm.(Model).View().Content, "\n")[0])
		if !strings.HasPrefix(head, " lifeboat  app @ vm  MariaDB 10.11.19 ") || !strings.HasSuffix(head, "● connected ") ||
			strings.Contains(head, "…") || ansi.StringWidth(head) != 80 {
			t.Fatalf("header at 80 columns (colour off %v) is %q", noColor, head)
		}
	}
}
