// Package audit appends one JSON line per action to the audit log in the
// backup directory, and reads it back newest first for the Activity tab.
package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// FileName is the audit log inside backup.dir.
const FileName = "audit.log"

// Entry is one action.
type Entry struct {
	Time       time.Time `json:"time"`
	OSUser     string    `json:"os_user"`
	MySQLUser  string    `json:"mysql_user"`
	Action     string    `json:"action"` // create, verify, restore, prune, delete, project_backup, ...
	Object     string    `json:"object"` // file name, project id, database
	Result     string    `json:"result"` // ok, failed, cancelled, refused, rolled_back
	DurationMS int64     `json:"duration_ms"`
	Error      string    `json:"error,omitempty"`
	Detail     string    `json:"detail,omitempty"`
}

var mu sync.Mutex

// Append writes e as one line with O_APPEND (atomic for lines this size),
// creating the log with mode 0600.
func Append(dir string, e Entry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	mu.Lock()
	defer mu.Unlock()
	// The log is never written through a symbolic link, nor in a
	// directory others could plant one in.
	if err := safefile.CheckDir(dir); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE|safefile.NoFollow, 0o600)
	if err != nil {
		return fmt.Errorf("audit log: %w", safefile.Explain(err, path))
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("audit log: %w", err)
	}
	return f.Close()
}

// Read returns up to limit entries (0: all), newest first. Lines that do
// not parse are skipped, not fatal: the log must stay readable.
func Read(dir string, limit int) ([]Entry, error) {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDONLY|safefile.NoFollow, 0)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		if lerr := safefile.NoSymlink(path); lerr != nil {
			return nil, fmt.Errorf("audit log: %w", lerr)
		}
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	var all []Entry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var e Entry
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			all = append(all, e)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
		all[i], all[j] = all[j], all[i]
	}
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, nil
}
