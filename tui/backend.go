// Package tui is lifeboat's terminal screen: tabs for full backups,
// projects, the activity log and the binary-log timeline, live progress
// for long work, and one confirm dialog for every destructive action. It talks to the engine only through the
// Backend interface, so the real *engine.Engine and test fakes fit alike.
package tui

import (
	"context"

	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// Backend is what the screen needs from the engine. Its methods mirror
// *engine.Engine's; an error from any of them is shown in the status line.
type Backend interface {
	Ping(ctx context.Context) (string, error)
	ServerLabel() string
	List(ctx context.Context, limit int) ([]engine.BackupInfo, error)
	Status(ctx context.Context) (engine.Status, error)
	Backup(ctx context.Context, opts engine.BackupOptions, fn progress.Func) (engine.BackupResult, error)
	Verify(ctx context.Context, name string, opts engine.VerifyOptions, fn progress.Func) (engine.VerifyResult, error)
	PlanRestore(ctx context.Context, name string, opts engine.RestoreOptions) (engine.RestorePlan, error)
	Restore(ctx context.Context, name string, opts engine.RestoreOptions, fn progress.Func) (engine.RestoreResult, error)
	PlanUndo(ctx context.Context, into string) (engine.UndoPlan, error)
	Undo(ctx context.Context, into string) (engine.UndoResult, error)
	Prune(ctx context.Context, opts engine.PruneOptions) (engine.PruneResult, error)
	Delete(ctx context.Context, name string) error
	Activity(ctx context.Context, limit int) ([]engine.AuditEntry, error)
	Projects(ctx context.Context) ([]engine.ProjectInfo, error)
	ProjectBackup(ctx context.Context, id string, fn progress.Func) (engine.ProjectBackupResult, error)
	ProjectBackups(ctx context.Context, id string) ([]engine.ProjectBackupInfo, error)
	PlanProjectRestore(ctx context.Context, id, name string) (engine.ProjectRestorePlan, error)
	ProjectRestore(ctx context.Context, id, name string, opts engine.ProjectRestoreOptions, fn progress.Func) (engine.ProjectRestoreResult, error)
	ProjectDelete(ctx context.Context, id, name string) error
	ProjectPrune(ctx context.Context, id string, opts engine.ProjectPruneOptions) (engine.ProjectPruneResult, error)
	RecoverableWindow(ctx context.Context, hash bool) (*engine.RecoverableWindow, error)
	BinlogEvents(ctx context.Context, opts engine.BinlogEventsOptions) ([]engine.BinlogEvent, error)
	PlanPointRestore(ctx context.Context, name string, opts engine.PointOptions) (engine.PointPlan, error)
	RestorePoint(ctx context.Context, name string, opts engine.PointOptions, fn progress.Func) (engine.PointResult, error)
	// Allowed says whether the current user may run action: nil, or the
	// reason not.
	Allowed(action engine.Action) error
}

// The real engine is the screen's backend; this breaks the build if they drift.
var _ Backend = (*engine.Engine)(nil)
