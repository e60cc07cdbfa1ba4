package catalog

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

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
	Signature        *Signature       `json:"signature,omitempty"` // see sign.go; covers every other field

	// Encrypted files hold the compressed stream encrypted with age to
	// Recipients (public keys); SHA256 and Size are of the encrypted bytes.
	Encrypted  bool     `json:"encrypted,omitempty"`
	Recipients []string `json:"recipients,omitempty"`

	// The source server's max_allowed_packet, and what a restoring server
	// needs: its max_allowed_packet must exceed largest_statement (bytes,
	// without the ";") and be at least largest_value (the largest value
	// written in pieces: CONCAT's result is limited by it). 0: not recorded.
	MaxAllowedPacket int64 `json:"max_allowed_packet,omitempty"`
	LargestStatement int64 `json:"largest_statement,omitempty"`
	LargestValue     int64 `json:"largest_value,omitempty"`

	// Objects lists the other objects by kind ("sequence", "view",
	// "procedure", "function", "package", "package body", "trigger",
	// "event"); verify --restore checks the copy holds exactly these and
	// the tables. Always written (maybe {}); nil only in manifests written
	// before it existed.
	Objects map[string][]string `json:"objects"`

	// A whole-server backup (database.names) holds several databases:
	// then Tables and Objects name "db.table". Selection is "*" when the
	// config chose every database (the scope stays "*" as databases come
	// and go); DatabaseBytes is each database's share of the
	// uncompressed stream. Accounts are the accounts the file creates, as
	// 'user'@'host', never with their authentication strings.
	Selection     string           `json:"selection,omitempty"`
	DatabaseBytes map[string]int64 `json:"database_bytes,omitempty"`
	Accounts      []string         `json:"accounts,omitempty"`

	// Checksums are CHECKSUM TABLE of each transactional table, read in
	// the dump's snapshot, keyed as Tables: a swap restore compares them
	// with the loaded copy (issue 18). Absent from older manifests.
	Checksums map[string]uint64 `json:"checksums,omitempty"`
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

// ParseManifest reads the manifest of backup name from b and checks it:
// it must be JSON of a format this build knows, name the same file, and
// carry a sha256 and a size. Malformed input is an error, never a panic.
func ParseManifest(name string, b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest of %s is not valid JSON: %v", name, err)
	}
	switch {
	case m.FormatVersion < 1:
		return nil, fmt.Errorf("manifest of %s has no format_version", name)
	case m.FormatVersion > FormatVersion:
		return nil, fmt.Errorf("manifest of %s has format %d, newer than this lifeboat understands (%d): upgrade lifeboat", name, m.FormatVersion, FormatVersion)
	case m.Filename != name:
		return nil, fmt.Errorf("manifest of %s names another file (%q)", name, m.Filename)
	case len(m.SHA256) != 64 || strings.Trim(strings.ToLower(m.SHA256), "0123456789abcdef") != "":
		return nil, fmt.Errorf("manifest of %s has no valid sha256", name)
	case m.Size < 0:
		return nil, fmt.Errorf("manifest of %s has a negative size", name)
	}
	for t, n := range m.Tables {
		if n < 0 {
			return nil, fmt.Errorf("manifest of %s: table %q has a negative row count", name, t)
		}
	}
	return &m, nil
}
