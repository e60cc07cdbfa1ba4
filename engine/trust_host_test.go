package engine

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// hostEngine is an engine on a fresh database with one project, whose
// backup.dir (0700) exists.
func hostEngine(t *testing.T) (*Engine, *testdb.DB) {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t,
		"CREATE TABLE projects (id INT PRIMARY KEY, name VARCHAR(40))",
		"INSERT INTO projects VALUES (1,'Apollo')",
		"CREATE TABLE tasks (id INT PRIMARY KEY, project_id INT, FOREIGN KEY (project_id) REFERENCES projects(id))",
		"INSERT INTO tasks VALUES (1,1),(2,1)",
	)
	cfg := &config.Config{
		Database: config.Database{Socket: d.Server.Socket, User: "root", Name: d.Name},
		Backup: config.Backup{Dir: filepath.Join(t.TempDir(), "backups"), Keep: 20, Compression: "gzip", Timezone: "UTC",
			StaleAfter: config.Duration{Duration: 26 * time.Hour}},
		Projects: config.Projects{Table: "projects", IDColumn: "id", NameColumn: "name", Keep: 5},
	}
	if err := os.MkdirAll(cfg.Backup.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e, d
}

// dirEntries lists dir's names.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestTrust17SharedBackupDirIsRefused(t *testing.T) {
	e, _ := hostEngine(t)
	ctx := context.Background()
	dir := e.dir()
	full, err := e.Backup(ctx, BackupOptions{Reason: "test"}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	proj, err := e.ProjectBackup(ctx, "1", progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	before := dirEntries(t, dir)
	// Every command that writes in backup.dir (if only its audit line).
	commands := map[string]func() error{
		"backup":         func() error { _, err := e.Backup(ctx, BackupOptions{Reason: "test"}, progress.Nop); return err },
		"project backup": func() error { _, err := e.ProjectBackup(ctx, "1", progress.Nop); return err },
		"verify":         func() error { _, err := e.Verify(ctx, full.Filename, VerifyOptions{}, progress.Nop); return err },
		"restore":        func() error { _, err := e.Restore(ctx, full.Filename, RestoreOptions{}, progress.Nop); return err },
		"prune":          func() error { _, err := e.Prune(ctx, PruneOptions{Keep: 1}); return err },
		"delete":         func() error { return e.Delete(ctx, full.Filename) },
		"cat":            func() error { return e.Cat(ctx, full.Filename, io.Discard) },
		"project restore": func() error {
			_, err := e.ProjectRestore(ctx, "1", proj.Filename, ProjectRestoreOptions{}, progress.Nop)
			return err
		},
		"project delete": func() error { return e.ProjectDelete(ctx, "1", proj.Filename) },
	}
	for _, c := range []struct {
		name  string
		setup func()
		fix   string
	}{
		{"group-writable", func() { os.Chmod(dir, 0o770) }, "chmod go-w " + dir},
		{"world-writable", func() { os.Chmod(dir, 0o707) }, "chmod go-w " + dir},
		{"owned by nobody", func() { os.Chown(dir, 65534, 65534) }, "chown root " + dir},
		{"parent writable by others", func() { os.Chmod(filepath.Dir(dir), 0o777) }, "chmod go-w " + filepath.Dir(dir)},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.setup()
			defer func() {
				os.Chmod(dir, 0o700)
				os.Chown(dir, 0, 0)
				os.Chmod(filepath.Dir(dir), 0o700)
			}()
			for what, run := range commands {
				if err := run(); err == nil || !errors.Is(err, safefile.ErrUnsafeDir) || !strings.Contains(err.Error(), c.fix) {
					t.Errorf("%s in a %s backup.dir: err %v, want a refusal saying %q", what, c.name, err, c.fix)
				}
			}
			if got := dirEntries(t, dir); strings.Join(got, " ") != strings.Join(before, " ") {
				t.Fatalf("refused commands changed backup.dir from %v to %v", before, got)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "audit.log")); err != nil || strings.Count(string(b), "\n") != 2 { // create, project_backup (a no-op auto-prune writes none, issue 16)
				t.Fatalf("refused commands wrote audit lines in an unsafe backup.dir:\n%s", b)
			}
		})
	}
	// Fixed as the message says, the same directory works.
	if _, err := e.Backup(ctx, BackupOptions{Reason: "test"}, progress.Nop); err != nil {
		t.Fatalf("backup into the fixed backup.dir: %v", err)
	}
}

func TestTrust17PlantedSymlinksRedirectNothing(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{".lifeboat.lock", ".lifeboat.lock.holder", "audit.log", "projects"} {
		t.Run(name, func(t *testing.T) {
			e, _ := hostEngine(t)
			outside := t.TempDir()
			victim := filepath.Join(outside, "victim")
			if err := os.WriteFile(victim, []byte("original\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			target := victim
			if name == "projects" {
				target = outside
			}
			link := filepath.Join(e.dir(), name)
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			_, berr := e.Backup(ctx, BackupOptions{Reason: "test"}, progress.Nop)
			_, perr := e.ProjectBackup(ctx, "1", progress.Nop)
			for what, err := range map[string]error{"backup": berr, "project backup": perr} {
				if err == nil || !strings.Contains(err.Error(), link) || !errors.Is(err, safefile.ErrUnsafeDir) {
					t.Errorf("%s with %s planted as a link: err %v, want a refusal naming %s", what, name, err, link)
				}
			}
			if b, err := os.ReadFile(victim); err != nil || string(b) != "original\n" {
				t.Errorf("the file outside changed: %q %v", b, err)
			}
			if got := dirEntries(t, outside); len(got) != 1 {
				t.Errorf("files appeared outside backup.dir: %v", got)
			}
			// Only the link and the audit log of the refusals are there.
			for _, n := range dirEntries(t, e.dir()) {
				if n != name && n != "audit.log" {
					t.Errorf("a refused backup wrote %s in backup.dir", n)
				}
			}
		})
	}
}

func TestTrust17StatusWarnsOfAnUnsafeBackupDir(t *testing.T) {
	e, _ := hostEngine(t)
	os.Chmod(e.dir(), 0o777)
	st, err := e.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(st.Warnings, "\n"), "chmod go-w "+e.dir()) {
		t.Fatalf("status of a world-writable backup.dir does not warn: %q", st.Warnings)
	}
}
