package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// hostile is a name that, printed raw, sets the terminal's title, clears
// the screen and starts a new row.
const hostile = "\x1b]0;pwned\x07\x1b[2J\nrow"

// hostileShown is how it must look instead: every control visible.
const hostileShown = `\x1b]0;pwned\x07\x1b[2J\nrow`

// hostileFixture is a database whose project 1 is named hostile and whose
// project table is named hostile too.
func hostileFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, "\n[projects]\ntable = \"projects\"\n")
	f.db.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(80))",
		"INSERT INTO projects VALUES (1, '"+strings.ReplaceAll(hostile, "\n", "\\n")+"')",
		"CREATE TABLE `"+hostile+"` (id INT PRIMARY KEY, project_id INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO `"+hostile+"` VALUES (1,1),(2,1)",
	)
	return f
}

// assertSafe fails when out holds a raw control from the hostile name, or
// holds the name without its visible form (so the check is never vacuous
// when want is true).
func assertSafe(t *testing.T, what, out string, want bool) {
	t.Helper()
	for _, bad := range []string{"\x1b]", "\x07", "\x1b[2J", "\r"} {
		if strings.Contains(out, bad) {
			t.Errorf("%s writes %q raw:\n%q", what, bad, out)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if l := strings.TrimLeft(sc.Text(), " │•▸"); strings.HasPrefix(l, "row") {
			t.Errorf("%s split the name onto a new line: %q", what, sc.Text())
		}
	}
	if want && !strings.Contains(out, hostileShown) {
		t.Errorf("%s does not show the name as %s:\n%s", what, hostileShown, out)
	}
}

func TestTrust16CLIShowsHostileNamesVisibly(t *testing.T) {
	f := hostileFixture(t)
	r := f.run(t, "project", "list")
	if r.code != 0 {
		t.Fatalf("project list: %d %s", r.code, r.stderr)
	}
	assertSafe(t, "project list", r.stdout, true)

	r = f.run(t, "project", "backup", "1")
	if r.code != 0 {
		t.Fatalf("project backup: %d %s", r.code, r.stderr)
	}
	assertSafe(t, "project backup", r.stdout+r.stderr, true)
	name := filepath.Base(strings.TrimSpace(r.stdout))

	r = f.run(t, "project", "restore", "1", name, "--dry-run")
	if r.code != 0 {
		t.Fatalf("project restore --dry-run: %d %s", r.code, r.stderr)
	}
	assertSafe(t, "project restore plan", r.stderr, true)

	r = f.run(t, "project", "status", "1")
	assertSafe(t, "project status", r.stdout+r.stderr, true)

	r = f.run(t, "backup")
	if r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	full := filepath.Base(strings.TrimSpace(r.stdout))
	assertSafe(t, "backup", r.stdout+r.stderr, false)
	for _, args := range [][]string{{"list"}, {"status"}, {"verify", full}} {
		r = f.run(t, args...)
		assertSafe(t, strings.Join(args, " "), r.stdout+r.stderr, false)
	}
	// An error that quotes the name is shown the same way.
	r = f.run(t, "project", "backup", "1", "--no-such-flag")
	assertSafe(t, "an error", r.stderr, false)
}

func TestTrust16ProgressLineAndRestorePlanShowHostileNamesVisibly(t *testing.T) {
	f := newFixture(t, "")
	f.db.MustExec(t, "DROP TABLE orders", "DROP TABLE customers",
		"CREATE TABLE `"+hostile+"` (id INT PRIMARY KEY)", "INSERT INTO `"+hostile+"` VALUES (1),(2)")
	cfg, err := config.LoadWith(f.config, config.LoadOptions{NoOptionFiles: true})
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	var last progress.Snapshot
	res, err := eng.Backup(context.Background(), engine.BackupOptions{Reason: "test"}, func(s progress.Snapshot) { last = s })
	if err != nil {
		t.Fatal(err)
	}
	if last.Table != hostile {
		t.Fatalf("the backup's last report names table %q, want the hostile table", last.Table)
	}
	// The line as drawn while that table is being dumped.
	last.Done = false
	line := progressText(last)
	assertSafe(t, "the progress line", strings.TrimPrefix(line, "\r\033[K"), true)

	plan, err := eng.PlanRestore(context.Background(), res.Filename, engine.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	e := &env{stdout: &stderr, stderr: &stderr, eng: eng}
	showRestorePlan(e, plan)
	e.say("table %s", plan.Tables[0]) // the plan's tables, as the CLI says them
	assertSafe(t, "the restore plan", stderr.String(), true)
}

func TestTrust18ForgedSudoUserIsNotAudited(t *testing.T) {
	f := newFixture(t, "")
	r := lifeboat(t, []string{"HOME=" + t.TempDir(), "SUDO_USER=nobody", "SUDO_UID=65534", "SUDO_GID=65534"},
		"--config", f.config, "backup", "--json")
	if r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(f.dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	var en struct {
		OSUser string `json:"os_user"`
		Action string `json:"action"`
	}
	if err := json.Unmarshal(bytes.SplitN(b, []byte("\n"), 2)[0], &en); err != nil {
		t.Fatal(err)
	}
	if en.Action != "create" || en.OSUser == "nobody" || en.OSUser == "" {
		t.Fatalf("audit line of a backup run with a forged SUDO_USER=nobody: %+v", en)
	}
}

func TestTrust20ReadableMyCnfWarnsOnStderr(t *testing.T) {
	f := newFixture(t, "")
	home := t.TempDir()
	mycnf := filepath.Join(home, ".my.cnf")
	if err := os.WriteFile(mycnf, []byte("[client]\npassword = s3cret-pw\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(mycnf, 0o644)
	r := lifeboat(t, []string{"HOME=" + home}, "--config", f.config, "list")
	if n := strings.Count(r.stderr, "warning: option file "+mycnf); n != 1 || !strings.Contains(r.stderr, "chmod 600 "+mycnf) {
		t.Fatalf("list with a 0644 ~/.my.cnf holding a password: %d warnings in stderr %q", n, r.stderr)
	}
	if strings.Contains(r.stdout+r.stderr, "s3cret-pw") {
		t.Fatalf("the password was printed: %q", r.stderr)
	}
}
