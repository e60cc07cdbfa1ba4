package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// hostile, printed raw, sets the terminal title, clears the screen and
// starts a new row; hostileShown is how the screen must show it.
const (
	hostile      = "\x1b]0;pwned\x07\x1b[2J\nrow"
	hostileShown = `\x1b]0;pwned\x07\x1b[2J\nrow`
)

// checkScreen fails when the screen holds a raw control from the hostile
// name, or (want) does not show the name at all.
func checkScreen(t *testing.T, what, screen string, want bool) {
	t.Helper()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\r"} {
		if strings.Contains(screen, bad) {
			t.Errorf("%s: the screen holds %q raw:\n%s", what, bad, screen)
		}
	}
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " │•▸"), "row") {
			t.Errorf("%s: the name was split onto a new line: %q", what, l)
		}
	}
	if want && !strings.Contains(screen, hostileShown) {
		t.Errorf("%s: the screen does not show the name as %s:\n%s", what, hostileShown, screen)
	}
}

func TestTrust16ScreenShowsHostileNamesVisibly(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(80))",
		"INSERT INTO projects VALUES (1, '"+strings.ReplaceAll(hostile, "\n", "\\n")+"')",
		"CREATE TABLE `"+hostile+"` (id INT PRIMARY KEY, project_id INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO `"+hostile+"` VALUES (1,1),(2,1)",
	)
	cfg := &config.Config{
		Database: config.Database{Socket: d.Server.Socket, User: "root", Name: d.Name},
		Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Keep: 20, Compression: "gzip", Timezone: "UTC",
			StaleAfter: config.Duration{Duration: 26 * time.Hour}},
		Projects: config.Projects{Table: "projects", IDColumn: "id", NameColumn: "name", Keep: 5},
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	ctx := context.Background()
	if _, err := eng.Backup(ctx, engine.BackupOptions{Reason: "test"}, progress.Nop); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.ProjectBackup(ctx, "1", progress.Nop); err != nil {
		t.Fatal(err)
	}

	dr := newDriver(t, eng, 160, 40)
	checkScreen(t, "backups", dr.screen(), false)
	dr.press("enter")
	checkScreen(t, "backup details", dr.screen(), true)
	dr.press("esc", "r")
	checkScreen(t, "restore dialog", dr.screen(), true)
	dr.press("esc", "2")
	checkScreen(t, "projects", dr.screen(), true)
	dr.press("enter")
	checkScreen(t, "project backups", dr.screen(), true)
	dr.press("r")
	checkScreen(t, "project restore dialog", dr.screen(), true)
	dr.press("esc", "esc", "3")
	checkScreen(t, "activity", dr.screen(), false)

	// A job's progress names the table being worked on.
	j := &job{spec: jobSpec{title: "backup of " + hostile}, snap: progress.Snapshot{Op: "backup", Table: hostile}}
	checkScreen(t, "progress", progressView(dr.m.st, j, 160), true)
	// The status line says what happened, quoting the name.
	dr.send(actionDoneMsg{err: errorString("restore failed at table " + hostile)})
	checkScreen(t, "status line", dr.screen(), true)
}

type errorString string

func (e errorString) Error() string { return string(e) }
