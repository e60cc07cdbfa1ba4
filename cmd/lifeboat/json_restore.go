package main

// restoreReply is what `lifeboat restore NAME --json` prints (DESIGN.md
// "JSON shapes").
type restoreReply struct {
	Success bool        `json:"success"`
	Message string      `json:"message"`
	Restore restoreJSON `json:"restore"`
}

// restoreJSON is restore --json's "restore": what the restore did.
type restoreJSON struct {
	Filename     string `json:"filename"`
	Filepath     string `json:"filepath"`
	RestoredAt   string `json:"restored_at"`
	Database     string `json:"database"`
	SafetyBackup string `json:"safety_backup"` // "" when skipped
	Statements   int64  `json:"statements"`
	Rows         int64  `json:"rows"`
	DurationMS   int64  `json:"duration_ms"`
	// Parts: a backup of several databases (issue 17); absent otherwise.
	Parts *partsResultJSON `json:"parts,omitempty"`
}
