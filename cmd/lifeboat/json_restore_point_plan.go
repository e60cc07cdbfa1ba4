package main

// pointPlanReply is what `lifeboat restore --at T --dry-run --json` (and
// NAME --until T | --until-gtid G | --until-position FILE:POS) prints:
// the plan of a point-in-time restore, and that nothing was changed.
type pointPlanReply struct {
	Success bool          `json:"success"`
	Message string        `json:"message"`
	DryRun  bool          `json:"dry_run"` // always true
	Plan    pointPlanJSON `json:"plan"`
}

// pointPlanJSON is the base backup, the target and the replay.
type pointPlanJSON struct {
	Base           string           `json:"base"`            // the backup restored first
	BaseAt         string           `json:"base_at"`         // when it was taken
	Database       string           `json:"database"`        // the target
	SourceDatabase string           `json:"source_database"` // the database the backup and the log hold
	Stop           string           `json:"stop"`            // "before GTID 0-1-42", "before 2026-…"
	StopFile       string           `json:"stop_file"`       // where the replay stops; "" at the archive's end
	StopPosition   uint64           `json:"stop_position"`   // 0: the end of the archive
	StartFile      string           `json:"start_file"`      // the base's coordinates
	StartPosition  uint64           `json:"start_position"`
	Transactions   int              `json:"transactions"` // of source_database, to replay
	First          *binlogEventJSON `json:"first"`        // null when there are none
	Last           *binlogEventJSON `json:"last"`
	Files          []string         `json:"files"` // archive files replayed, in order
	SafetyBackup   bool             `json:"safety_backup"`
	Warnings       []string         `json:"warnings"`
}
