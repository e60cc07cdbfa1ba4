package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestIssue13Item7RestoreShowsTheWaitAndEscEndsIt: on a real server, a
// restore started from the screen while another lifeboat's backup holds
// backup.dir shows whom it waits for (from the lock's holder file: action,
// user, time, pid) instead of a frozen "0 rows", and esc ends the wait at
// once with nothing started.
func TestIssue13Item7RestoreShowsTheWaitAndEscEndsIt(t *testing.T) {
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1)")
	cfg := &config.Config{
		Database: config.Database{Socket: d.Server.Socket, User: "root", Name: d.Name},
		Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Keep: 20, Compression: "gzip", Timezone: "UTC",
			StaleAfter: config.Duration{Duration: 26 * time.Hour}},
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if _, err := eng.Backup(context.Background(), engine.BackupOptions{}, nil); err != nil {
		t.Fatal(err)
	}
	dv := newDriverWith(t, eng, 80, 24, func(o *Options) { o.DatabaseName = d.Name; o.Now = time.Now })
	// Another lifeboat (a CLI backup as root) holds the directory.
	lk, err := catalog.Take(context.Background(), cfg.Backup.Dir, catalog.Request{Action: "backup", User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	at := time.Now().UTC().Format("15:04")

	dv.press("r")
	dv.mustSee("Type " + d.Name + " to confirm")
	dv.typeText(d.Name)
	dv.press("enter")
	want := fmt.Sprintf("waiting for the backup started by root at %s (pid %d)…", at, os.Getpid())
	dv.waitScreen(4*time.Second, want)
	dv.mustNotSee("0 rows", "0:00 elapsed")
	dv.mustSee("esc cancel the wait")
	dv.press("esc")
	dv.waitScreen(4*time.Second, "restore cancelled while it waited; it had not started")
	if dv.m.dialog != nil || dv.m.job != nil {
		t.Fatalf("esc left a dialog or a job:\n%s", dv.screen())
	}
	if strings.Contains(dv.screen(), "Cancel the restore?") {
		t.Fatalf("esc asked before ending a wait:\n%s", dv.screen())
	}
}
