package engine

// The command line and the screen import this package (and
// engine/progress) and nothing below it; these are the few types and
// values of the worker packages they need, under the engine's name.
// TestOnlyTheFacadeIsImported enforces the rule.

import (
	"context"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// State is how a backup in the directory stands (see catalog.State).
type State = catalog.State

// The states list shows.
const (
	StateComplete   = catalog.StateComplete
	StateVerified   = catalog.StateVerified
	StateIncomplete = catalog.StateIncomplete
	StateCorrupt    = catalog.StateCorrupt
	StateForeign    = catalog.StateForeign
)

// Manifest describes one full backup (see catalog.Manifest).
type Manifest = catalog.Manifest

// VerifyRecord is the latest verify result a manifest holds.
type VerifyRecord = catalog.VerifyRecord

// TimeLayout is the time stamp in backup file names (and the seed
// documents' "timestamp" field).
const TimeLayout = catalog.TimeLayout

// AuditEntry is one line of the audit log, as the Activity tab shows it.
type AuditEntry = audit.Entry

// Errors callers tell apart with errors.Is.
var (
	ErrBusy    = catalog.ErrBusy    // another lifeboat holds the backup directory
	ErrBadName = catalog.ErrBadName // a NAME that is a path, hidden, or not a backup
)

// ProjectDir is where the backups of project id live, or an error when
// id cannot be a directory name.
func (e *Engine) ProjectDir(id string) (string, error) { return catalog.ProjectDir(e.dir(), id) }

// Sandbox is a throwaway MariaDB in a temporary directory, on a private
// socket: what `lifeboat demo`, verify --restore and the benchmark run.
type Sandbox = sandbox.Server

// SandboxOptions tune a Sandbox.
type SandboxOptions = sandbox.Options

// StartSandbox starts a throwaway server; Stop removes it and its files.
func StartSandbox(ctx context.Context, opts SandboxOptions) (*Sandbox, error) {
	return sandbox.Start(ctx, opts)
}

// CompressionOf is the compression a backup file name says (gzip, zstd,
// none), for files without a manifest.
func CompressionOf(name string) string { return catalog.CompressionOf(name) }
