package engine

import (
	"bytes"
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// verbFixture is an engine on a backup.dir holding one backup and one
// project backup, so that every verb gets past its name checks. The server
// is never reached: each verb here is refused before it would be.
type verbFixture struct {
	e       *Engine
	dir     string
	backup  string
	project string
}

func newVerbFixture(t *testing.T, access map[string][]string) *verbFixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "backups")
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f := &verbFixture{dir: dir, backup: catalog.BackupName(at, "gzip"), project: catalog.ProjectName("1", at)}
	if err := os.MkdirAll(filepath.Join(dir, "projects", "1"), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, f.backup), filepath.Join(dir, "projects", "1", f.project)} {
		if err := os.WriteFile(p, []byte("not read: every verb is refused first"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &config.Config{
		Database: config.Database{Socket: filepath.Join(t.TempDir(), "no.sock"), User: "root", Name: "app"},
		Backup:   config.Backup{Dir: dir, Keep: 20, Timezone: "UTC"},
		Projects: config.Projects{Table: "projects"},
		Access:   access,
		Remotes: []config.Remote{{Name: "offsite", Type: "s3", Endpoint: "http://127.0.0.1:1", Bucket: "b",
			AccessKeyID: "k", SecretAccessKey: "s"}}, // never reached: refused first
	}
	cfg.Path = filepath.Join(t.TempDir(), "config.toml") // schedule install runs the jobs with it
	if err := os.WriteFile(cfg.Path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	f.e = e
	return f
}

// verbs calls each action's engine method once, in the order of
// config.Actions, with the audit object it must record.
func (f *verbFixture) verbs() []struct {
	action Action
	object string
	call   func(ctx context.Context) error
} {
	e := f.e
	return []struct {
		action Action
		object string
		call   func(ctx context.Context) error
	}{
		{ActionCreate, "app", func(ctx context.Context) error { _, err := e.Backup(ctx, BackupOptions{}, nil); return err }},
		{ActionVerify, f.backup, func(ctx context.Context) error { _, err := e.Verify(ctx, f.backup, VerifyOptions{}, nil); return err }},
		{ActionRestore, f.backup, func(ctx context.Context) error {
			_, err := e.Restore(ctx, f.backup, RestoreOptions{}, nil)
			return err
		}},
		{ActionDelete, f.backup, func(ctx context.Context) error { return e.Delete(ctx, f.backup) }},
		{ActionPrune, f.dir, func(ctx context.Context) error { _, err := e.Prune(ctx, PruneOptions{}); return err }},
		{ActionDownload, f.backup, func(ctx context.Context) error { return e.Cat(ctx, f.backup, &bytes.Buffer{}) }},
		{ActionProjectBackup, "1", func(ctx context.Context) error { _, err := e.ProjectBackup(ctx, "1", nil); return err }},
		{ActionProjectRestore, f.project, func(ctx context.Context) error {
			_, err := e.ProjectRestore(ctx, "1", f.project, ProjectRestoreOptions{}, nil)
			return err
		}},
		{ActionProjectDelete, f.project, func(ctx context.Context) error { return e.ProjectDelete(ctx, "1", f.project) }},
		{ActionProjectVerify, f.project, func(ctx context.Context) error { _, err := e.ProjectVerify(ctx, "1", f.project); return err }},
		{ActionProjectPrune, "1", func(ctx context.Context) error { _, err := e.ProjectPrune(ctx, "1", ProjectPruneOptions{}); return err }},
		{ActionSchedule, filepath.Join(f.dir, "units"), func(ctx context.Context) error {
			_, err := e.InstallSchedule(ctx, ScheduleOptions{Binary: "/usr/bin/lifeboat", Dir: filepath.Join(f.dir, "units")})
			return err
		}},
		{ActionPush, f.backup, func(ctx context.Context) error { _, err := e.Push(ctx, f.backup, RemoteOptions{}, nil); return err }},
		{ActionPull, f.backup, func(ctx context.Context) error { _, err := e.Pull(ctx, f.backup, RemoteOptions{}, nil); return err }},
		{ActionBinlogSync, filepath.Join(f.dir, "binlog"), func(ctx context.Context) error {
			_, err := e.BinlogSync(ctx, BinlogSyncOptions{})
			return err
		}},
	}
}

func (f *verbFixture) lastAudit(t *testing.T) []audit.Entry {
	t.Helper()
	all, err := audit.Read(f.dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestEnvelope01EveryVerbChecksAccessAndAuditsOnce: issue 12 item 1. Every
// action, download included, is refused by its [access] rule before it
// touches anything, and leaves exactly one audit line saying so.
func TestEnvelope01EveryVerbChecksAccessAndAuditsOnce(t *testing.T) {
	access := map[string][]string{}
	for _, a := range config.Actions {
		access[string(a)] = []string{"nobody-such-user-xyz"}
	}
	f := newVerbFixture(t, access)
	verbs := f.verbs()
	if len(verbs) != len(config.Actions) {
		t.Fatalf("%d verbs tested for %d actions: a new action needs its line here", len(verbs), len(config.Actions))
	}
	for i, v := range verbs {
		if v.action != config.Actions[i] {
			t.Fatalf("verb %d is %s, config.Actions has %s", i, v.action, config.Actions[i])
		}
		err := v.call(context.Background())
		var ae *AccessError
		if !errors.As(err, &ae) || ae.Action != v.action {
			t.Errorf("%s with access.%s = [nobody]: %v, want an AccessError", v.action, v.action, err)
		}
		all := f.lastAudit(t)
		if len(all) != i+1 {
			t.Fatalf("%s: %d audit lines after %d actions, want exactly one each", v.action, len(all), i+1)
		}
		en := all[0]
		if en.Action != string(v.action) || en.Result != "refused" || en.Object != v.object || !strings.Contains(en.Error, "access."+string(v.action)) {
			t.Errorf("%s: audit line %+v, want action %s, object %q, refused by access", v.action, en, v.action, v.object)
		}
	}
	for _, name := range []string{f.backup, filepath.Join("projects", "1", f.project)} {
		if _, err := os.Stat(filepath.Join(f.dir, name)); err != nil {
			t.Errorf("a refused action removed %s: %v", name, err)
		}
	}
}

// TestEnvelope01EveryVerbTakesItsDirectoryLock: issue 12 item 1 and issue
// 11 item 15 (project backup took no lock). While another lifeboat holds
// the directory, every action is refused as busy, with one audit line.
func TestEnvelope01EveryVerbTakesItsDirectoryLock(t *testing.T) {
	f := newVerbFixture(t, nil)
	ctx := context.Background()
	lk, err := catalog.LockDir(ctx, f.dir, "backup", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lk.Unlock()
	savedBackup, savedWait, savedRestore := backupLockWait, lockWait, restoreLockWait
	backupLockWait, lockWait, restoreLockWait = 0, 0, 0
	defer func() { backupLockWait, lockWait, restoreLockWait = savedBackup, savedWait, savedRestore }()
	for i, v := range f.verbs() {
		err := v.call(ctx)
		if !errors.Is(err, catalog.ErrBusy) || !strings.Contains(err.Error(), "backup pid") {
			t.Errorf("%s while the directory is held: %v, want busy naming the holder", v.action, err)
		}
		all := f.lastAudit(t)
		if len(all) != i+1 || all[0].Action != string(v.action) || all[0].Result != "refused" {
			t.Errorf("%s: audit %+v, want one refused line per action", v.action, all)
		}
	}
}

// TestEnvelope01NoVerbBypassesTheEnvelope: issue 12 item 1. Locks and
// audit lines are taken and written in action.go only, so a new verb
// cannot write its own and forget one; every spec declares its lock.
func TestEnvelope01NoVerbBypassesTheEnvelope(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	only := map[string]string{
		"catalog.LockDir": "action.go", "catalog.LockDirShared": "action.go", "audit.Append": "action.go",
		"e.lockDatabase": "action.go", "e.finish": "action.go", "e.appendAudit": "action.go", "e.takeLocks": "action.go",
	}
	declared := map[Action]bool{}
	for _, file := range pkgs["engine"].Files {
		name := filepath.Base(fset.Position(file.Pos()).Filename)
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				x, ok := sel.X.(*ast.Ident)
				if !ok {
					return true
				}
				call := x.Name + "." + sel.Sel.Name
				if want, ok := only[call]; ok && name != want {
					t.Errorf("%s: %s calls %s; actions lock and audit through e.do (action.go)", fset.Position(n.Pos()), name, call)
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "actionSpec" {
					return true
				}
				var fields []string
				for _, el := range n.Elts {
					kv := el.(*ast.KeyValueExpr)
					key := kv.Key.(*ast.Ident).Name
					fields = append(fields, key)
					if key == "action" {
						if v, ok := kv.Value.(*ast.Ident); ok {
							declared[Action(strings.ToLower(strings.TrimPrefix(v.Name, "Action")))] = true
						}
					}
				}
				for _, need := range []string{"action", "object", "lock", "wait", "holder", "prefix"} {
					if !slices.Contains(fields, need) {
						t.Errorf("%s: an actionSpec without %s", fset.Position(n.Pos()), need)
					}
				}
			}
			return true
		})
	}
	for _, a := range config.Actions {
		if !declared[Action(strings.ReplaceAll(string(a), "_", ""))] {
			t.Errorf("action %s has no verb that runs it through e.do", a)
		}
	}
}

// TestEnvelope01UndeclaredLockIsRefused: a spec that names no lock is a
// programming error the first run shows, not a verb without a lock.
func TestEnvelope01UndeclaredLockIsRefused(t *testing.T) {
	f := newVerbFixture(t, nil)
	defer func() {
		if recover() == nil {
			t.Error("do ran a spec without a lock")
		}
	}()
	f.e.do(context.Background(), actionSpec{action: ActionDelete, object: "x"}, func(context.Context, *actionLog) error {
		t.Error("the work ran")
		return nil
	})
}

// TestTrust19DownloadIsAnAction: issue 11 item 19. `download` is an
// [access] key, and a download cut short is audited as partial with the
// bytes that got out.
func TestTrust19DownloadIsAnAction(t *testing.T) {
	if err := (&config.Config{Database: config.Database{Name: "app"}, Backup: config.Backup{Dir: "/var/backups/x"},
		Access: map[string][]string{"download": {"@dba"}}}).Validate(); err != nil && strings.Contains(err.Error(), "access.download") {
		t.Errorf("access.download is refused by the config: %v", err)
	}
	f := newVerbFixture(t, map[string][]string{"download": {"nobody-such-user-xyz"}})
	var out bytes.Buffer
	err := f.e.Cat(context.Background(), f.backup, &out)
	var ae *AccessError
	if !errors.As(err, &ae) || out.Len() != 0 {
		t.Fatalf("cat with access.download = [nobody]: %v, %d bytes out", err, out.Len())
	}

	f = newVerbFixture(t, nil)
	big := bytes.Repeat([]byte("0123456789abcdef"), 16<<10) // 256 KiB: more than one copy buffer
	if err := os.WriteFile(filepath.Join(f.dir, f.backup), big, 0o600); err != nil {
		t.Fatal(err)
	}
	w := &shortWriter{room: 40000}
	err = f.e.Cat(context.Background(), f.backup, w)
	if err == nil || !strings.Contains(err.Error(), "cut short after 40000 of 262144 bytes") {
		t.Fatalf("cat into a reader that goes away: %v", err)
	}
	all := f.lastAudit(t)
	if len(all) != 1 || all[0].Action != "download" || all[0].Result != "partial" ||
		all[0].Detail != "40000 of 262144 bytes written" || !strings.Contains(all[0].Error, "broken pipe") {
		t.Errorf("audit of a cut download: %+v", all)
	}
}

// shortWriter takes room bytes, then fails as a closed pipe does.
type shortWriter struct{ room int }

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) > w.room {
		n := w.room
		w.room = 0
		return n, &os.PathError{Op: "write", Path: "|1", Err: errors.New("broken pipe")}
	}
	w.room -= len(p)
	return len(p), nil
}
