package main

// binlogSyncReply is what `lifeboat binlog sync --json` prints.
type binlogSyncReply struct {
	Success bool     `json:"success"`
	Message string   `json:"message"`
	Dir     string   `json:"archive_directory"`
	Indexed []string `json:"indexed"`
	Open    string   `json:"open_file"`
	Purged  []string `json:"purged_before_archiving"`
	// Offsite is one per [[remote]]: the finished files copied there now.
	Offsite []binlogOffsiteJSON `json:"offsite"`
}

// binlogEventsReply is what `lifeboat binlog events --json` prints
// (DESIGN.md: events[...], newest last).
type binlogEventsReply struct {
	Events []binlogEventJSON `json:"events"`
	Total  int               `json:"total"`
}

type binlogEventJSON struct {
	Time      string `json:"time"`
	GTID      string `json:"gtid"`
	File      string `json:"file"`
	Position  uint64 `json:"position"`
	Database  string `json:"database"`
	Table     string `json:"table"`
	Kind      string `json:"kind"`
	Rows      int    `json:"rows"`
	Statement string `json:"statement"`
}

// pointRestoreReply is what `lifeboat restore --at/--until... --json` prints:
// restore's own shape plus the replay.
type pointRestoreReply struct {
	Success bool             `json:"success"`
	Message string           `json:"message"`
	Restore pointRestoreJSON `json:"restore"`
}

type pointRestoreJSON struct {
	restoreJSON
	Stop         string `json:"stop"`
	Transactions int    `json:"transactions_replayed"`
	FirstGTID    string `json:"first_gtid"`
	LastGTID     string `json:"last_gtid"`
	ReplayMS     int64  `json:"replay_ms"` // the replay alone, after the base restore
}
