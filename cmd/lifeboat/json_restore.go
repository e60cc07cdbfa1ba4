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
	LoadDataRows int64  `json:"load_data_rows"` // of rows, sent as LOAD DATA (issue 18)
	DurationMS   int64  `json:"duration_ms"`
	// The mode (issue 18): "swap" or "in-place", why in place, and for a
	// swap its critical window and the schema keeping the previous tables.
	Mode         string `json:"mode"`
	ModeReason   string `json:"mode_reason"`
	SwapWindowMS int64  `json:"swap_window_ms"`
	Previous     string `json:"previous"`
	Note         string `json:"note"`
	// Parts: a backup of several databases (issue 17); absent otherwise.
	Parts *partsResultJSON `json:"parts,omitempty"`
}
