package main

import "github.com/lifeboat-dev/lifeboat/engine"

// The --json replies of the commands on the full database (backup, list,
// status, verify, prune, delete) and of version: the contract scripts
// read, in one place (DESIGN.md "JSON shapes"). A slice documented as
// "[] when empty" is filled with orEmpty; a pointer is null when absent.

// fileJSON is the seed documents' description of a backup file, embedded
// in every reply that describes one (backup, list, project backup,
// project backups, project status).
type fileJSON struct {
	Filename          string `json:"filename"`
	Filepath          string `json:"filepath"`
	Filesize          int64  `json:"filesize"`
	FilesizeFormatted string `json:"filesize_formatted"`
	CreatedAt         string `json:"created_at"`
}

// backupReply is what `lifeboat backup --json` prints.
type backupReply struct {
	Success bool       `json:"success"`
	Message string     `json:"message"`
	Backup  backupJSON `json:"backup"`
}

// backupJSON is backup --json's "backup": the file it wrote.
type backupJSON struct {
	fileJSON
	Timestamp        string   `json:"timestamp"` // created_at as in the file name
	SHA256           string   `json:"sha256"`
	Tables           int      `json:"tables"`
	Rows             int64    `json:"rows"`
	DurationMS       int64    `json:"duration_ms"`
	LockWindowMS     int64    `json:"lock_window_ms"`
	NonTransactional []string `json:"non_transactional"` // null when none
	Pruned           []string `json:"pruned"`            // null when none
	Warnings         []string `json:"warnings"`          // [] when none

	// off-site (issue 20): one per [[remote]]; [] without
	Offsite []offsiteJSON `json:"offsite"`
}

// listReply is what `lifeboat list --json` prints.
type listReply struct {
	Backups         []listEntryJSON `json:"backups"` // [] when none, newest first
	Total           int             `json:"total"`   // every backup in the directory
	Shown           int             `json:"shown"`   // len(backups): after --limit
	BackupDirectory string          `json:"backup_directory"`
	Warnings        []string        `json:"warnings"` // [] when none: restores cut short
}

// listEntryJSON is one of list --json's "backups".
type listEntryJSON struct {
	fileJSON
	ModifiedAt  string       `json:"modified_at"`
	CreatedBy   string       `json:"created_by"`
	State       engine.State `json:"state"` // complete, verified, incomplete, corrupt, foreign
	Rows        int64        `json:"rows"`  // 0 when unknown
	Databases   []string     `json:"databases"`
	Safety      bool         `json:"safety"`
	SHA256      string       `json:"sha256"`      // from the manifest; "" when there is none
	Compression string       `json:"compression"` // gzip, zstd or none

	// with [[remote]] (issue 20); "local" is one name
	Locations []locationJSON `json:"locations,omitempty"`
	// Encrypted (age) backups say whether the configured identity opens
	// them: "yes", "no" (other keys), "no identity".
	Encrypted bool   `json:"encrypted,omitempty"`
	Opens     string `json:"opens,omitempty"`
}

// statusReply is what `lifeboat status --json` prints.
type statusReply struct {
	SystemStatus        systemStatusJSON  `json:"system_status"`
	BackupStats         backupStatsJSON   `json:"backup_stats"`
	InterruptedRestores []string          `json:"interrupted_restores"`
	Warnings            []string          `json:"warnings"`
	PartialFiles        []partialFileJSON `json:"partial_files"`
	Cleaned             []string          `json:"cleaned"`
	Privileges          *privilegesJSON   `json:"privileges"` // null when the server did not answer
	PrivilegesError     string            `json:"privileges_error"`

	// with [[remote]] (issue 20, json_remote.go)
	Remotes []remoteStatusJSON `json:"remotes,omitempty"`
	// the schemas swap restores kept, newest first (issue 18); [] when none
	Previous []keptPreviousJSON `json:"previous"`
	// each database of this config and the last backup holding it (issue 17)
	Databases []databaseStatusJSON `json:"databases"`

	// with [binlog] (issue 15, status_window.go)
	RecoverableWindow *recoverableWindowJSON `json:"recoverable_window,omitempty"`
}

// keptPreviousJSON is one <db>__lifeboat_prev_* schema and its size.
type keptPreviousJSON struct {
	Schema   string `json:"schema"`
	Bytes    int64  `json:"bytes"`
	Database string `json:"database"` // whose tables they were (restore --undo --into it)
}

func previousOf(kept []engine.KeptPrevious) []keptPreviousJSON {
	out := make([]keptPreviousJSON, 0, len(kept))
	for _, k := range kept {
		out = append(out, keptPreviousJSON{Schema: k.Name, Bytes: k.Bytes, Database: k.Database})
	}
	return out
}

// systemStatusJSON is status --json's "system_status".
type systemStatusJSON struct {
	BackupDirectory         string `json:"backup_directory"`
	BackupDirectoryExists   bool   `json:"backup_directory_exists"`
	BackupDirectoryWritable bool   `json:"backup_directory_writable"`
	FreeBytes               uint64 `json:"free_bytes"`
	ServerReachable         bool   `json:"server_reachable"`
	ServerVersion           string `json:"server_version"`
	ServerError             string `json:"server_error"`
	MaxBackupsKept          int    `json:"max_backups_kept"`
	SigningKey              string `json:"signing_key"`
	SigningKeyFile          string `json:"signing_key_file"`
}

// backupStatsJSON is status --json's "backup_stats".
type backupStatsJSON struct {
	TotalBackups       int        `json:"total_backups"`
	TotalSize          int64      `json:"total_size"`
	TotalSizeFormatted string     `json:"total_size_formatted"`
	OldestBackup       *briefJSON `json:"oldest_backup"` // null when none
	NewestBackup       *briefJSON `json:"newest_backup"`
	LastCompleteBackup *briefJSON `json:"last_complete_backup"`
	Stale              bool       `json:"stale"`
	LowSpace           bool       `json:"low_space"`
	SafetyBackups      int        `json:"safety_backups"`
	Shrank             string     `json:"shrank"`
}

// briefJSON names a backup in status --json's "backup_stats".
type briefJSON struct {
	Filename  string `json:"filename"`
	CreatedAt string `json:"created_at"`
}

// partialFileJSON is one of status --json's "partial_files": a *.partial
// file found in backup.dir and whether it was removed as an orphan.
type partialFileJSON struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	Removed bool   `json:"removed"`
}

// privilegesJSON is status --json's "privileges": the account and, per
// action, what it needs and lacks.
type privilegesJSON struct {
	Account  string                 `json:"account"`
	Database string                 `json:"database"`
	Role     string                 `json:"role"`
	Actions  []actionPrivilegesJSON `json:"actions"`
}

// actionPrivilegesJSON is one of status --json's "privileges.actions".
type actionPrivilegesJSON struct {
	Action  string   `json:"action"`
	OK      bool     `json:"ok"`
	Needs   []string `json:"needs"`
	Missing []string `json:"missing"`
	Wants   []string `json:"wants"`
	Lacks   []string `json:"lacks"`
	Note    string   `json:"note"`
}

// verifyReply is what `lifeboat verify NAME --json` and `lifeboat project
// verify ID NAME --json` print; success is false when a check failed.
type verifyReply struct {
	Success  bool           `json:"success"`
	Filename string         `json:"filename"`
	Checks   []engine.Check `json:"checks"` // name, ok, detail (and info: true for information)
}

// pruneReply is what `lifeboat prune --json` prints.
type pruneReply struct {
	Success      bool             `json:"success"`
	Message      string           `json:"message"`
	CleanupStats cleanupStatsJSON `json:"cleanup_stats"`
	Files        []pruneFileJSON  `json:"files"` // each backup judged, and which rule keeps it (prune_report.go)
	// the schemas swap restores kept, beyond backup.keep_previous (issue 18)
	Previous previousPruneJSON `json:"previous"`

	// per [[remote]] (issue 20, json_remote.go)
	Remotes []remotePruneJSON `json:"remotes,omitempty"`

	// binary-log archive files removed (issue 15)
	BinlogDeleted []string `json:"binlog_deleted,omitempty"`
}

// previousPruneJSON is prune --json's "previous": the kept schemas of
// swap restores (<db>__lifeboat_prev_*) dropped beyond keep.
type previousPruneJSON struct {
	Keep    int      `json:"keep"`
	Dropped []string `json:"dropped"` // [] when none
	Freed   int64    `json:"freed"`
	Error   string   `json:"error"`
}

// cleanupStatsJSON is prune --json's "cleanup_stats".
type cleanupStatsJSON struct {
	FilesBefore         int      `json:"files_before"`
	FilesAfter          int      `json:"files_after"`
	FilesDeleted        int      `json:"files_deleted"`
	SpaceFreed          int64    `json:"space_freed"`
	SpaceFreedFormatted string   `json:"space_freed_formatted"`
	MaxBackupsKept      int      `json:"max_backups_kept"`
	Deleted             []string `json:"deleted"` // [] when none
	DryRun              bool     `json:"dry_run"`
}

// deleteReply is what `lifeboat delete NAME --json` and `lifeboat project
// delete ID NAME --json` print.
type deleteReply struct {
	Success  bool   `json:"success"`
	Message  string `json:"message"`
	Filename string `json:"filename"`
}

// versionReply is what `lifeboat version --json` prints.
type versionReply struct {
	Version string `json:"version"`
	Go      string `json:"go"`
}
