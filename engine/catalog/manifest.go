package catalog

import "time"

// FormatVersion is the manifest format this build writes.
const FormatVersion = 1

// ManifestSuffix is appended to a backup's file name to name its manifest.
const ManifestSuffix = ".json"

// Manifest describes one full backup. It is written last: a backup without
// a valid manifest is incomplete.
type Manifest struct {
	FormatVersion    int              `json:"format_version"`
	ToolVersion      string           `json:"tool_version"`
	ServerVersion    string           `json:"server_version"`
	Databases        []string         `json:"databases"`
	Tables           map[string]int64 `json:"tables"` // rows per table
	Rows             int64            `json:"rows"`
	Binlog           *BinlogPosition  `json:"binlog,omitempty"`
	Filename         string           `json:"filename"`
	Compression      string           `json:"compression"` // gzip | zstd | none
	SHA256           string           `json:"sha256"`
	Size             int64            `json:"size"`
	CreatedAt        time.Time        `json:"created_at"` // with zone offset
	CreatedBy        string           `json:"created_by"`
	DurationMS       int64            `json:"duration_ms"`
	Consistency      string           `json:"consistency"` // "snapshot", "shared-snapshot"
	LockWindowMS     int64            `json:"lock_window_ms,omitempty"`
	NonTransactional []string         `json:"non_transactional,omitempty"` // MyISAM etc: no snapshot
	Reason           string           `json:"reason,omitempty"`            // "manual", "safety", "scheduled"
	Verify           *VerifyRecord    `json:"verify,omitempty"`
}

// BinlogPosition is where the snapshot stands in the binary log.
type BinlogPosition struct {
	File     string `json:"file,omitempty"`
	Position uint64 `json:"position,omitempty"`
	GTID     string `json:"gtid,omitempty"`
}

// VerifyRecord is the latest verify result, recorded in the manifest so
// that list can show verified or corrupt without reading the backup.
type VerifyRecord struct {
	At      time.Time `json:"at"`
	OK      bool      `json:"ok"`
	Restore bool      `json:"restore"` // verified by restoring it
	By      string    `json:"by"`
	Detail  string    `json:"detail,omitempty"`
}

// State is how a backup in the directory stands.
type State string

const (
	StateComplete   State = "complete"
	StateVerified   State = "verified"
	StateIncomplete State = "incomplete"
	StateCorrupt    State = "corrupt"
	StateForeign    State = "foreign"
)
