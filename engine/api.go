package engine

import (
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// The types below are the engine's public shapes, shared by the command
// line (which turns them into DESIGN.md's JSON) and the screen.

// BackupOptions tune a full backup.
type BackupOptions struct {
	Compression string // overrides backup.compression when set
	Reason      string // "manual" (default), "safety", "scheduled"
	NoPrune     bool   // skip the auto-prune after success (safety backups)
	Database    string // the database to back up; database.name when empty
}

// BackupResult is what a finished backup produced.
type BackupResult struct {
	Filename         string
	Path             string
	Size             int64
	SHA256           string
	CreatedAt        time.Time
	Tables           int
	Rows             int64
	Duration         time.Duration
	LockWindow       time.Duration
	NonTransactional []string // tables read without a snapshot (MyISAM, ...)
	Pruned           []string // files auto-prune removed afterwards
	Notes            []string // what the user should know (e.g. read on one connection: no RELOAD)
	Warnings         []string // what the user must know (fewer than half the rows of the last backup)
	// Offsite is one copy per [[remote]] (remote_backup.go).
	Offsite []OffsiteCopy
}

// BackupInfo is one entry of the backup directory, as list shows it.
type BackupInfo struct {
	Filename   string
	Path       string
	Size       int64
	CreatedAt  time.Time
	ModifiedAt time.Time
	CreatedBy  string
	State      catalog.State
	Databases  []string          // what it holds; nil when unknown (foreign, incomplete)
	Safety     bool              // taken by a restore of the database it replaced
	Rows       int64             // 0 when unknown (foreign, incomplete)
	Manifest   *catalog.Manifest // nil for foreign and incomplete files
	Problem    string            // why the state is incomplete or corrupt
	// Locations, with [[remote]]: local and each remote holding it (remote_list.go).
	Locations []Location
	// Encrypted backups (age) say whether the configured identity opens
	// them: OpensYes, OpensNo (other keys: an old key after a rotation) or
	// OpensNoIdentity. "" for a plain file.
	Encrypted bool
	Opens     string
}

// Status is the health summary of the status command and the status strip.
type Status struct {
	Dir            string
	DirExists      bool
	DirWritable    bool
	FreeBytes      uint64
	ServerOK       bool
	ServerVersion  string
	ServerError    string
	Keep           int
	Total          int // complete + verified lifeboat backups
	TotalSize      int64
	Oldest, Newest *BackupInfo
	LastComplete   *BackupInfo // newest complete or verified backup
	Stale          bool        // LastComplete older than backup.stale_after (or none)
	LowSpace       bool        // free space < 2 × newest backup
	SafetyBackups  int         // safety backups of this database, not in Total
	Shrank         string      // set while a backup holds < half the rows of the one before it
	Interrupted    []string    // restores cut short: the database may be partial (see Engine.Interrupted)
	Warnings       []string
	SigningKey     string // this host's public key, "ed25519:<base64>" ("" when unusable)
	SigningKeyFile string // where its private key is (backup.signing_key)
	// Remotes is one per [[remote]] (remote_status.go).
	Remotes []RemoteStatus
	// Previous are the schemas swap restores kept (restore --undo puts
	// the newest back), newest first, with the space they hold.
	Previous []KeptPrevious

	Schedule *ScheduleSummary // nil when no lifeboat timer is installed (schedule_api.go)

	// Databases are this config's databases, each with the last backup
	// that holds it (status_databases.go).
	Databases []DatabaseStatus

	// Leftovers of killed lifeboats: the *.partial files found in the
	// directory (removed unless a running lifeboat holds it), and what was
	// cleaned up, one line each (partial files and throwaway servers).
	Partials []PartialFile
	Cleaned  []string
}

// Check is one line of a verify report.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Info: information, not a check that passed (OK is false) nor one
	// that failed (it does not make the verify fail).
	Info bool `json:"info,omitempty"`
}

// VerifyOptions tune verify.
type VerifyOptions struct {
	Restore bool // also restore into a throwaway server and compare checksums
}

// VerifyResult lists the checks made; OK only when all passed.
type VerifyResult struct {
	Filename string
	OK       bool
	Checks   []Check
}

// PruneOptions tune prune.
type PruneOptions struct {
	Keep   int // 0 means backup.keep
	DryRun bool
	// Only, when set, limits the removal to these names: pass the dry run's
	// Deleted after the user confirmed it, so nothing beyond what was shown
	// goes even if a backup finished in between.
	Only []string
	// RemoteOnly is Only for each remote, by name (remote_prune.go).
	RemoteOnly map[string][]string
	// RemoteProjectOnly is Only for the project backups on each remote
	// (projects/<id>/<file>, from the dry run's RemoteProjectDeleted). A
	// confirmed run that sets RemoteOnly but not this prunes no project
	// backups there: the user was not shown them.
	RemoteProjectOnly map[string][]string
}

// PruneResult says what prune removed (or would remove, on a dry run).
type PruneResult struct {
	FilesBefore int
	FilesAfter  int
	Deleted     []string
	SpaceFreed  int64
	Keep        int
	DryRun      bool
	Verdicts    []PruneVerdict // every backup judged, newest first, with the rules that keep it (retention.go)
	Calendar    string         // the calendar rules in force, "keep_daily 7, keep_weekly 4"; "" when none

	// Remotes is one per [[remote]], each with its own keep (remote_prune.go).
	Remotes []RemotePrune
	// Previous is the kept schemas of swap restores (restore_kept.go).
	Previous PreviousPrune

	// BinlogDeleted are the binary-log archive files removed (binlog_prune.go).
	BinlogDeleted []string
	BinlogFreed   int64
}

// RestoreOptions tune a full restore.
type RestoreOptions struct {
	Into           string // target database; database.name when empty
	NoSafetyBackup bool
	StripDefiners  bool // restore objects with the current user as definer
	// AcceptUnterminated lets a foreign file without a completion line
	// (mariadb-dump --skip-comments, --compact) go on: it cannot be proven
	// complete, and the user said so (--accept-unterminated).
	AcceptUnterminated bool
	// Database picks one database of a file of several (--database); Into
	// then renames it. Accounts also restores the file's accounts
	// (--accounts); an account that exists is reported, never replaced.
	// See restore_databases.go.
	Database string
	Accounts bool
	// InPlace forces the old mode (drop, load, after a safety backup)
	// instead of the swap restore (--in-place).
	InPlace bool
}

// RestorePlan is what a restore will do, shown before asking to confirm.
type RestorePlan struct {
	Filename string
	Database string // the target database
	// SourceDatabase is the database the file holds ("" when it names
	// none); when it differs from Database, Restore needs Into set.
	SourceDatabase string
	// Unterminated: a foreign file without a completion line; it cannot be
	// proven complete, and Restore needs AcceptUnterminated.
	Unterminated bool
	Exists       bool     // the target database exists now
	Tables       []string // tables in the target that will be replaced
	// What the restore does to the target's objects (issue 13 item 15):
	// Replaced are tables now there and in the backup, Dropped are tables
	// and views now there and not in the backup, Created are the backup's
	// tables not there now, Views the backup's views (never counted as
	// tables). Sorted.
	Replaced, Dropped, Created, Views []string
	SafetyBackup                      bool     // a safety backup will be taken first
	Warnings                          []string // missing definers, privileges, foreign file...
	// Untrusted says why a lifeboat backup's manifest is not taken as
	// lifeboat's own (unsigned, or signed by an untrusted key): the file is
	// restored as a foreign dump. "" otherwise.
	Untrusted string
	// Encrypted files need the identity: Identity says whether it is here
	// and opens the file ("the identity in F opens it"), or what is
	// missing; IdentityOK is false when the restore would stop at once.
	Encrypted  bool
	Identity   string
	IdentityOK bool
	// Mode is ModeSwap or ModeInPlace; ModeReason says why in place
	// ("" for a swap).
	Mode       string
	ModeReason string
	// Parts is set for a file of several databases (or --database,
	// --accounts): each database restored, then the accounts.
	Parts *PartsPlan
}

// RestoreResult is what a finished restore did.
type RestoreResult struct {
	Filename     string
	Path         string
	Database     string
	RestoredAt   time.Time
	SafetyBackup string // file name of the safety backup, "" when skipped
	// MissingDefiners are definers ('user'@'host') of restored views and
	// routines that have no account on the server (with StripDefiners the
	// objects got the current user instead).
	MissingDefiners []string
	Statements      int64
	Rows            int64
	LoadDataRows    int64 // of Rows, sent as LOAD DATA LOCAL INFILE (local_infile on, InnoDB)
	Duration        time.Duration
	// Mode is ModeSwap or ModeInPlace, ModeReason why in place. A swap
	// reports its critical window and the schema that keeps the previous
	// tables (what restore --undo swaps back); Note is a problem after the
	// swap that did not undo it.
	Mode       string
	ModeReason string
	SwapWindow time.Duration
	Previous   string
	Note       string
	// Parts is set for a restore of a file of several databases.
	Parts *PartsResult
}
