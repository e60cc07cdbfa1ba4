package main

import "github.com/lifeboat-dev/lifeboat/engine"

// copyReply is what `lifeboat push --json` and `lifeboat pull --json` print.
type copyReply struct {
	Success bool     `json:"success"`
	Message string   `json:"message"`
	Copy    copyJSON `json:"copy"`
}

// copyJSON is the backup a push or pull moved.
type copyJSON struct {
	Filename          string `json:"filename"`
	Remote            string `json:"remote"`
	Filesize          int64  `json:"filesize"`
	FilesizeFormatted string `json:"filesize_formatted"`
	SHA256            string `json:"sha256"`
	DurationMS        int64  `json:"duration_ms"`
}

// offsiteJSON is one remote's copy of a new backup (backup --json "offsite").
type offsiteJSON struct {
	Remote  string `json:"remote"`
	Success bool   `json:"success"`
	Error   string `json:"error,omitempty"`
}

// locationJSON is one place holding a backup (list --json "locations").
type locationJSON struct {
	Name  string       `json:"name"`
	State engine.State `json:"state"`
}

// remoteStatusJSON is one remote in status --json's "remotes".
type remoteStatusJSON struct {
	Name         string     `json:"name"`
	Reachable    bool       `json:"reachable"`
	TotalBackups int        `json:"total_backups"`
	TotalSize    int64      `json:"total_size"`
	NewestBackup *briefJSON `json:"newest_backup"` // null when none
	Error        string     `json:"error"`
}

// remotePruneJSON is what prune did on one remote (prune --json "remotes").
type remotePruneJSON struct {
	Name                string   `json:"name"`
	MaxBackupsKept      int      `json:"max_backups_kept"`
	FilesBefore         int      `json:"files_before"`
	FilesDeleted        int      `json:"files_deleted"`
	Deleted             []string `json:"deleted"`
	SpaceFreed          int64    `json:"space_freed"`
	SpaceFreedFormatted string   `json:"space_freed_formatted"`
	Error               string   `json:"error"`
	// Projects is the project backups under projects/<id>/ there, each
	// project keeping its newest max_backups_kept (issue 20).
	Projects remoteProjectPruneJSON `json:"projects"`
	// BinlogDeleted are the binary-log archive files removed there (issue 15).
	BinlogDeleted []string `json:"binlog_deleted"`
}

// remoteProjectPruneJSON is prune --json "remotes[].projects".
type remoteProjectPruneJSON struct {
	MaxBackupsKept      int      `json:"max_backups_kept"` // per project
	FilesBefore         int      `json:"files_before"`
	FilesDeleted        int      `json:"files_deleted"`
	Deleted             []string `json:"deleted"` // projects/<id>/<file>
	SpaceFreed          int64    `json:"space_freed"`
	SpaceFreedFormatted string   `json:"space_freed_formatted"`
}
