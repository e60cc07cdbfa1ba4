package main

// restorePlanReply is what `lifeboat restore NAME --dry-run --json` prints:
// the plan, and that nothing was changed.
type restorePlanReply struct {
	Success bool            `json:"success"`
	Message string          `json:"message"`
	DryRun  bool            `json:"dry_run"` // always true
	Plan    restorePlanJSON `json:"plan"`
}

// restorePlanJSON is the plan of a full restore. The lists are [] when empty.
type restorePlanJSON struct {
	Filename       string   `json:"filename"`
	Database       string   `json:"database"`        // the target
	SourceDatabase string   `json:"source_database"` // what the file holds; "" when unknown
	Exists         bool     `json:"exists"`          // the target exists now
	Replaced       []string `json:"replaced"`        // tables there now and in the backup
	Dropped        []string `json:"dropped"`         // tables and views there now, not in the backup
	Created        []string `json:"created"`         // the backup's tables not there now
	Views          []string `json:"views"`           // the backup's views
	SafetyBackup   bool     `json:"safety_backup"`   // a safety backup of the target would be taken first
	Unterminated   bool     `json:"unterminated"`    // a foreign file without a completion line
	Warnings       []string `json:"warnings"`
	Mode           string   `json:"mode"`        // "swap" or "in-place" (issue 18)
	ModeReason     string   `json:"mode_reason"` // why in place; "" for a swap
	// Parts: a backup of several databases, --database or --accounts
	// (issue 17); absent otherwise.
	Parts *partsPlanJSON `json:"parts,omitempty"`
}
