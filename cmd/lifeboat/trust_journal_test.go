package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTrust12KilledRestoreIsReportedAndPinned (issue 11 item 12): a
// restore killed with SIGKILL midway leaves a database that may be
// partial. status, list and the next restore's plan say so and name the
// safety backup; the next command that holds the directory writes the
// audit line the killed one could not; backups of the shrunken database
// say they shrank; and auto-prune keeps both the safety backup and the
// last good backup, however many small backups follow.
func TestTrust12KilledRestoreIsReportedAndPinned(t *testing.T) {
	f := newFixture(t, "")
	addBigTable(t, f)
	cfg := writeConfig(t, strings.Replace(readFile(t, f.config), "keep = 3", "keep = 2", 1), 0o600)
	orig := f.jsonWith(t, cfg, "backup")["backup"].(map[string]any)["filename"].(string)

	p := f.start(t, cfg, "restore", orig, "--yes")
	waitFor(t, p, "rows being loaded", func() bool {
		var n int
		return f.db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'big'", f.db.Name).Scan(&n) == nil && n == 1 &&
			f.db.QueryRow("SELECT COUNT(*) FROM big").Scan(&n) == nil && n > 0 && n < 300000
	})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.wait(t)
	var safety string
	for _, n := range files(t, f.dir) {
		if strings.HasSuffix(n, ".sql.gz") && n != orig {
			safety = n
		}
	}
	if safety == "" {
		t.Fatalf("no safety backup in %v", files(t, f.dir))
	}
	bringBack := "bring it back with: lifeboat restore " + safety

	st := f.jsonWith(t, cfg, "status")
	if w := fmt.Sprint(st["interrupted_restores"], st["warnings"]); !strings.Contains(w, "was interrupted") || !strings.Contains(w, bringBack) {
		t.Fatalf("status after the kill says %s; want the interrupted restore and %q", w, bringBack)
	}
	list := f.jsonWith(t, cfg, "list")
	if w := fmt.Sprint(list["warnings"]); !strings.Contains(w, bringBack) {
		t.Errorf("list --json warnings %s; want %q", w, bringBack)
	}
	for _, b := range list["backups"].([]any) {
		b := b.(map[string]any)
		if want := b["filename"] == safety; b["safety"] != want {
			t.Errorf("list: %s safety=%v, want %v", b["filename"], b["safety"], want)
		}
	}
	if r := lifeboatIn(t, cfg, "list"); !strings.Contains(r.stderr, bringBack) || !strings.Contains(r.stdout, "(safety)") {
		t.Errorf("list: stdout %q stderr %q; want the warning and the safety mark", r.stdout, r.stderr)
	}
	if r := lifeboatIn(t, cfg, "restore", orig, "--dry-run"); r.code == 0 && !strings.Contains(r.stdout+r.stderr, bringBack) {
		t.Errorf("the next restore's plan does not mention the interrupted one: %q %q", r.stdout, r.stderr)
	}

	// The database shrank; two more backups with keep = 2 must not prune
	// the last good backup nor the pinned safety backup.
	f.db.MustExec(t, "DELETE FROM big")
	for i := 0; i < 3; i++ {
		r := lifeboatIn(t, cfg, "backup")
		if r.code != 0 {
			t.Fatalf("backup %d: %d %q", i, r.code, r.stderr)
		}
		if i == 0 && !strings.Contains(r.stderr, "less than half") {
			t.Errorf("a backup of the shrunken database did not warn: %q", r.stderr)
		}
	}
	for _, keep := range []string{orig, safety} {
		if _, err := os.Stat(filepath.Join(f.dir, keep)); err != nil {
			t.Errorf("auto-prune removed %s: %v", keep, err)
		}
	}
	if st := f.jsonWith(t, cfg, "status"); !strings.Contains(fmt.Sprint(st["warnings"]), "less than half") {
		t.Errorf("status does not say the database shrank: %v", st["warnings"])
	}
	var interrupted int
	for _, a := range auditLines(t, f.dir) {
		if a["action"] == "restore" && a["result"] == "interrupted" && a["object"] == orig {
			interrupted++
		}
	}
	if interrupted != 1 {
		t.Errorf("audit log has %d 'interrupted' lines for the killed restore, want 1", interrupted)
	}

	// Bringing it back clears the journal.
	if r := lifeboatIn(t, cfg, "restore", safety, "--yes"); r.code != 0 {
		t.Fatalf("restore of the safety backup: %d %q", r.code, r.stderr)
	}
	if st := f.jsonWith(t, cfg, "status"); strings.Contains(fmt.Sprint(st["warnings"]), "interrupted") {
		t.Errorf("status still warns after a good restore: %v", st["warnings"])
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func lifeboatIn(t *testing.T, config string, args ...string) result {
	t.Helper()
	return lifeboat(t, []string{"HOME=" + t.TempDir()}, append([]string{"--config", config}, args...)...)
}

func (f *fixture) jsonWith(t *testing.T, config string, args ...string) map[string]any {
	t.Helper()
	saved := f.config
	defer func() { f.config = saved }()
	f.config = config
	return f.json(t, args...)
}

// TestTrust08ConfigsSharingADirKeepTheirOwn (issue 11 item 8): two configs
// for two databases share one backup.dir with keep = 2. Backups of one
// never prune the other's; status counts only its own database; list shows
// a DATABASE column; and safety backups are marked and counted apart.
func TestTrust08ConfigsSharingADirKeepTheirOwn(t *testing.T) {
	f := newFixture(t, "")
	other := testdb.New(t)
	other.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY)", "INSERT INTO t VALUES (1),(2)")
	mine := writeConfig(t, strings.Replace(readFile(t, f.config), "keep = 3", "keep = 2", 1), 0o600)
	// Both configs are on this host: they sign with its one key.
	key := regexp.MustCompile(`(?m)^signing_key = .*$`).FindString(readFile(t, f.config))
	theirs := writeConfig(t, fmt.Sprintf("[database]\nsocket = %q\nuser = \"root\"\nname = %q\n\n[backup]\ndir = %q\nkeep = 2\n%s\n",
		other.Server.Socket, other.Name, f.dir, key), 0o600)

	var theirBackups []string
	for i := 0; i < 2; i++ {
		theirBackups = append(theirBackups, f.jsonWith(t, theirs, "backup")["backup"].(map[string]any)["filename"].(string))
	}
	for i := 0; i < 3; i++ {
		f.jsonWith(t, mine, "backup")
	}
	for _, n := range theirBackups {
		if _, err := os.Stat(filepath.Join(f.dir, n)); err != nil {
			t.Errorf("a backup of %s pruned %s, a backup of %s: %v", f.db.Name, n, other.Name, err)
		}
	}
	st := statusWith(t, f, mine).BackupStats
	if st.TotalBackups != 2 {
		t.Errorf("status of %s counts %v backups, want its own 2", f.db.Name, st.TotalBackups)
	}
	if r := lifeboatIn(t, mine, "list"); !strings.Contains(r.stdout, "DATABASE") || !strings.Contains(r.stdout, other.Name) {
		t.Errorf("list of a directory with two databases has no DATABASE column: %q", r.stdout)
	}
	if r := lifeboatIn(t, mine, "prune", "--yes"); r.code != 0 {
		t.Fatalf("prune: %d %q", r.code, r.stderr)
	}
	for _, n := range theirBackups {
		if _, err := os.Stat(filepath.Join(f.dir, n)); err != nil {
			t.Errorf("prune from %s's config removed %s: %v", f.db.Name, n, err)
		}
	}

	// A restore's safety backup is marked, is not the last backup, and
	// does not count against keep.
	st = statusWith(t, f, mine).BackupStats
	if st.NewestBackup == nil {
		t.Fatalf("status of %s names no newest backup: %+v", f.db.Name, st)
	}
	newest := st.NewestBackup.Filename
	if r := lifeboatIn(t, mine, "restore", newest, "--yes"); r.code != 0 {
		t.Fatalf("restore: %d %q", r.code, r.stderr)
	}
	st = statusWith(t, f, mine).BackupStats
	if st.SafetyBackups != 1 || st.TotalBackups != 2 || st.NewestBackup == nil || st.NewestBackup.Filename != newest {
		t.Errorf("after a restore: %+v; want 1 safety backup apart, 2 backups, newest still %s", st, newest)
	}
}

// statusWith is status --json under config, decoded.
func statusWith(t *testing.T, f *fixture, config string) statusReply {
	t.Helper()
	saved := f.config
	defer func() { f.config = saved }()
	f.config = config
	st, _ := jsonReply[statusReply](t, f, "status")
	return st
}
