package tui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// fakeBackend stands in for the engine so the screen logic can be tested
// alone; the engine itself is tested against a real server elsewhere.
type fakeBackend struct {
	mu       sync.Mutex
	calls    []string
	backups  []engine.BackupInfo
	status   engine.Status
	projects []engine.ProjectInfo
	pbackups map[string][]engine.ProjectBackupInfo
	activity []engine.AuditEntry
	plan     engine.RestorePlan
	pplan    engine.ProjectRestorePlan
	pkeep    int // projects.keep for ProjectPrune; 1 when 0
	prune    engine.PruneResult
	listErr  error
	pingErr  error
	verifyOK *bool // nil: all checks pass
	denied   map[string]error
	version  string // what Ping returns; "10.11.19-MariaDB-log" when empty
	// backupFn runs for Backup when set (to block, fail or report progress).
	backupFn func(ctx context.Context, fn progress.Func) (engine.BackupResult, error)
	// restoreFn runs for Restore when set (to block until released).
	restoreFn func(ctx context.Context) error
	window    *engine.RecoverableWindow // nil: [binlog] archive off
	events    []engine.BinlogEvent      // log order
	pointPlan engine.PointPlan          // PlanPointRestore's answer, with Stop filled in
	pointErr  error
}

func (f *fakeBackend) record(format string, a ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

func (f *fakeBackend) called(s string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.calls {
		if c == s {
			return true
		}
	}
	return false
}

func (f *fakeBackend) Ping(context.Context) (string, error) {
	if f.pingErr != nil {
		return "", f.pingErr
	}
	if f.version != "" {
		return f.version, nil
	}
	return "10.11.19-MariaDB-log", nil
}
func (f *fakeBackend) ServerLabel() string { return "db1:3306" }

func (f *fakeBackend) List(context.Context, int) ([]engine.BackupInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]engine.BackupInfo(nil), f.backups...), f.listErr
}

func (f *fakeBackend) Status(context.Context) (engine.Status, error) { return f.status, nil }

func (f *fakeBackend) Backup(ctx context.Context, _ engine.BackupOptions, fn progress.Func) (engine.BackupResult, error) {
	f.record("backup")
	if f.backupFn != nil {
		return f.backupFn(ctx, fn)
	}
	name := "backup_2026-11-23_05-00-00.sql.gz"
	f.mu.Lock()
	f.backups = append([]engine.BackupInfo{{Filename: name, Size: 2_400_000, CreatedAt: fixedNow, State: engine.StateComplete, Rows: 47_990}}, f.backups...)
	f.mu.Unlock()
	return engine.BackupResult{Filename: name, Size: 2_400_000, Tables: 7, Rows: 47_990, Duration: 1200 * time.Millisecond}, nil
}

func (f *fakeBackend) Verify(_ context.Context, name string, o engine.VerifyOptions, _ progress.Func) (engine.VerifyResult, error) {
	f.record("verify %s restore=%v", name, o.Restore)
	ok := f.verifyOK == nil || *f.verifyOK
	return engine.VerifyResult{Filename: name, OK: ok, Checks: []engine.Check{{Name: "sha256", OK: ok, Detail: "mismatch"}, {Name: "completion line", OK: true}}}, nil
}

func (f *fakeBackend) PlanRestore(_ context.Context, name string, _ engine.RestoreOptions) (engine.RestorePlan, error) {
	f.record("plan restore %s", name)
	p := f.plan
	p.Filename = name
	return p, nil
}

func (f *fakeBackend) Restore(ctx context.Context, name string, o engine.RestoreOptions, _ progress.Func) (engine.RestoreResult, error) {
	f.record("restore %s", name)
	f.record("restore options into=%s accept-unterminated=%v", o.Into, o.AcceptUnterminated)
	if f.restoreFn != nil {
		if err := f.restoreFn(ctx); err != nil {
			return engine.RestoreResult{}, err
		}
	}
	return engine.RestoreResult{Filename: name, Database: "app", Statements: 1234, SafetyBackup: "backup_2026-11-23_05-00-01.sql.gz"}, nil
}

func (f *fakeBackend) Prune(_ context.Context, o engine.PruneOptions) (engine.PruneResult, error) {
	f.record("prune dry=%v", o.DryRun)
	return f.prune, nil
}

func (f *fakeBackend) Delete(_ context.Context, name string) error {
	f.record("delete %s", name)
	return nil
}

func (f *fakeBackend) Activity(context.Context, int) ([]engine.AuditEntry, error) {
	return f.activity, nil
}
func (f *fakeBackend) Projects(context.Context) ([]engine.ProjectInfo, error) {
	return f.projects, nil
}

func (f *fakeBackend) ProjectBackup(_ context.Context, id string, _ progress.Func) (engine.ProjectBackupResult, error) {
	f.record("project backup %s", id)
	return engine.ProjectBackupResult{}, engine.ErrProjectsOff
}

func (f *fakeBackend) ProjectBackups(_ context.Context, id string) ([]engine.ProjectBackupInfo, error) {
	return f.pbackups[id], nil
}

func (f *fakeBackend) PlanProjectRestore(_ context.Context, id, name string) (engine.ProjectRestorePlan, error) {
	f.record("plan project restore %s %s", id, name)
	return f.pplan, nil
}

func (f *fakeBackend) ProjectRestore(_ context.Context, id, name string, _ engine.ProjectRestoreOptions, _ progress.Func) (engine.ProjectRestoreResult, error) {
	f.record("project restore %s %s", id, name)
	return engine.ProjectRestoreResult{Restored: map[string]int64{"strings": 40, "translations": 120}, SafetyBackup: "project_7_backup_2026-11-23_05-00-02.json"}, nil
}

func (f *fakeBackend) ProjectDelete(_ context.Context, id, name string) error {
	f.record("project delete %s %s", id, name)
	return nil
}

// ProjectPrune keeps the newest pkeep (1 when unset) of the project's backups.
func (f *fakeBackend) ProjectPrune(_ context.Context, id string, o engine.ProjectPruneOptions) (engine.ProjectPruneResult, error) {
	f.record("project prune %s dry=%v only=%v", id, o.DryRun, o.Only)
	keep := max(f.pkeep, 1)
	files := f.pbackups[id]
	res := engine.ProjectPruneResult{ProjectID: id, Keep: keep, Total: len(files), DryRun: o.DryRun}
	for i := keep; i < len(files); i++ {
		res.Deleted = append(res.Deleted, files[i].Filename)
	}
	return res, nil
}

func (f *fakeBackend) Allowed(action engine.Action) error { return f.denied[string(action)] }

var fixedNow = time.Date(2026, 11, 23, 5, 0, 0, 0, time.UTC)

func day(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

// newFake returns a backend with the data of the DESIGN.md sketch.
func newFake() *fakeBackend {
	b1 := engine.BackupInfo{Filename: "backup_2026-11-23_02-00-00.sql.gz", Size: 2_400_000, CreatedAt: day(23, 2), State: engine.StateVerified, Rows: 47_921,
		CreatedBy: "alice", Manifest: &engine.Manifest{ServerVersion: "10.11.19-MariaDB", Databases: []string{"app"}, Compression: "gzip",
			Tables: map[string]int64{"app.orders": 40_000, "app.customers": 7_921}, Rows: 47_921, SHA256: "9f2c…e1", Consistency: "snapshot",
			Verify: &engine.VerifyRecord{At: day(23, 3), OK: true, By: "alice"}}}
	b2 := engine.BackupInfo{Filename: "backup_2026-11-22_02-00-00.sql.gz", Size: 2_400_000, CreatedAt: day(22, 2), State: engine.StateComplete, Rows: 47_880}
	b3 := engine.BackupInfo{Filename: "backup_2026-11-21_02-00-00.sql.gz", Size: 2_300_000, CreatedAt: day(21, 2), State: engine.StateComplete, Rows: 47_500}
	last := b1
	return &fakeBackend{
		backups: []engine.BackupInfo{b1, b2, b3},
		status: engine.Status{Dir: "/var/backups/lifeboat", DirExists: true, DirWritable: true, FreeBytes: 41_000_000_000,
			Keep: 20, Total: 12, LastComplete: &last, ServerOK: true},
		projects: []engine.ProjectInfo{{ID: "7", Name: "Acme Shop", Backups: 2, LastBackup: day(22, 14)}, {ID: "9", Name: "Beta", Backups: 0}},
		pbackups: map[string][]engine.ProjectBackupInfo{"7": {
			{Filename: "project_7_backup_2026-11-22_14-00-00.json", Size: 81_000, CreatedAt: day(22, 14), CreatedBy: "bob"},
			{Filename: "project_7_backup_2026-11-20_09-00-00.json", Size: 79_000, CreatedAt: day(20, 9), CreatedBy: "bob"},
		}},
		activity: []engine.AuditEntry{
			{Time: day(23, 3), OSUser: "alice", Action: "verify", Object: "backup_2026-11-23_02-00-00.sql.gz", Result: "ok", DurationMS: 2100},
			{Time: day(23, 2), OSUser: "root", Action: "create", Object: "backup_2026-11-23_02-00-00.sql.gz", Result: "ok", DurationMS: 14_200},
		},
		plan: engine.RestorePlan{Database: "app", Exists: true, Tables: []string{"customers", "orders"}, Replaced: []string{"customers", "orders"}, SafetyBackup: true},
		pplan: engine.ProjectRestorePlan{ProjectID: "7", ProjectName: "Acme Shop", Exists: true, CurrentName: "Acme Shop", CreatedAt: day(22, 14), CreatedBy: "bob",
			Tables: []engine.TablePlan{{Table: "strings", Delete: 3, Insert: 5, Changed: 2, Unchanged: 35}, {Table: "translations", Delete: 10, Insert: 12, Unchanged: 108}}},
		prune: engine.PruneResult{FilesBefore: 22, FilesAfter: 20, Keep: 20, DryRun: true, SpaceFreed: 4_600_000,
			Deleted: []string{"backup_2026-10-01_02-00-00.sql.gz", "backup_2026-10-02_02-00-00.sql.gz"}},
		window: fakeWindow(), events: fakeEvents(), pointPlan: fakePointPlan(),
	}
}

func (f *fakeBackend) RecoverableWindow(context.Context, bool) (*engine.RecoverableWindow, error) {
	return f.window, nil
}

func (f *fakeBackend) BinlogEvents(_ context.Context, o engine.BinlogEventsOptions) ([]engine.BinlogEvent, error) {
	var out []engine.BinlogEvent
	for _, ev := range f.events {
		if o.Since.IsZero() || !ev.Time.Before(o.Since) {
			out = append(out, ev)
		}
	}
	if o.Newest > 0 && len(out) > o.Newest {
		out = out[len(out)-o.Newest:]
	}
	return out, nil
}

func (f *fakeBackend) PlanPointRestore(_ context.Context, name string, o engine.PointOptions) (engine.PointPlan, error) {
	f.record("plan-point %q gtid=%s pos=%s", name, o.UntilGTID, o.UntilPosition)
	p := f.pointPlan
	p.Stop = "before GTID " + o.UntilGTID
	if o.UntilGTID == "" {
		p.Stop = "before " + o.UntilPosition
	}
	return p, f.pointErr
}

func (f *fakeBackend) RestorePoint(_ context.Context, name string, o engine.PointOptions, _ progress.Func) (engine.PointResult, error) {
	f.record("restore-point %q gtid=%s pos=%s", name, o.UntilGTID, o.UntilPosition)
	p, err := f.PlanPointRestore(context.Background(), name, o)
	return engine.PointResult{Plan: p, Restore: engine.RestoreResult{Database: p.Database, Previous: p.Database + "__lifeboat_prev_1", SwapWindow: 12e6}, Duration: 3e9}, err
}
