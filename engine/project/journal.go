package project

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// The trigger journal holds the original definitions of the triggers a
// project restore guards. It is written (atomically, 0600) before the
// first trigger changes and removed after the last is put back, so a
// restore killed in between leaves it for the next lifeboat to repair
// from (repair.go). It lives in <backup.dir>/projects/, where project ids
// cannot collide with it (ids never start with a dot).

// JournalName is the trigger journal's file name.
const JournalName = ".restore-triggers.json"

// Journal is one project restore's record of the triggers it guards.
type Journal struct {
	FormatVersion int       `json:"format_version"`
	Database      string    `json:"database"`
	ProjectID     ID        `json:"project_id"`
	Backup        string    `json:"backup"`
	StartedAt     time.Time `json:"started_at"`
	PID           int       `json:"pid"`
	ConnectionID  int64     `json:"connection_id"` // the restoring connection
	Triggers      []Trigger `json:"triggers"`      // as they were before the guard
}

// ErrJournalLeft is wrapped when a journal of an earlier restore is still
// there: its triggers must be repaired before another restore runs.
var ErrJournalLeft = errors.New("an interrupted project restore left guarded triggers")

// writeJournal writes j to dir, refusing to replace an earlier journal
// (its originals would be lost).
func writeJournal(dir string, j *Journal) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return safefile.Explain(err, dir)
	}
	old, err := ReadJournal(dir)
	if err != nil {
		return err
	}
	if old != nil {
		return fmt.Errorf("%s (project %s, %s, connection %d): %w; run `lifeboat status` to repair them first",
			filepath.Join(dir, JournalName), old.ProjectID, old.StartedAt.Format(time.RFC3339), old.ConnectionID, ErrJournalLeft)
	}
	j.FormatVersion = 1
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return safefile.WriteFile(dir, JournalName, append(b, '\n'))
}

// ReadJournal reads the journal in dir; nil when there is none.
func ReadJournal(dir string) (*Journal, error) {
	b, err := os.ReadFile(filepath.Join(dir, JournalName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the trigger journal: %w", err)
	}
	var j Journal
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("trigger journal %s is damaged (%v): compare the triggers with a project backup's metadata, then remove it", filepath.Join(dir, JournalName), err)
	}
	return &j, nil
}

// removeJournal removes the journal in dir once its triggers are back.
func removeJournal(dir string) error {
	if err := os.Remove(filepath.Join(dir, JournalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the trigger journal: %w", err)
	}
	return safefile.SyncDir(dir)
}
