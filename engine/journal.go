package engine

// The restore journal: a restore writes one in backup.dir before its first
// change and removes it after its last, so that a restore killed midway
// (kill -9, the OOM killer, a power cut) is never silent. While a journal
// exists, status, list and the next restore's plan say the database may be
// partial and name the safety backup that brings it back; prune never
// removes that safety backup.

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

const (
	journalPrefix = ".lifeboat-restore."
	journalSuffix = ".journal"
)

// restoreJournal is the record of one restore in progress (or cut short).
type restoreJournal struct {
	Database     string    `json:"database"`
	Filename     string    `json:"filename"`
	SafetyBackup string    `json:"safety_backup,omitempty"`
	Earlier      []string  `json:"earlier_safety_backups,omitempty"` // of restores interrupted before this one
	Into         bool      `json:"into,omitempty"`                   // target is not database.name
	StartedAt    time.Time `json:"started_at"`
	PID          int       `json:"pid"`
	User         string    `json:"user"`
	Failed       string    `json:"failed,omitempty"`   // the error, when it failed rather than died
	Reported     bool      `json:"reported,omitempty"` // its audit line is written
}

func journalName(db string) string {
	return journalPrefix + hex.EncodeToString([]byte(db)) + journalSuffix
}

// journalHold is a journal written by this process, locked while it runs.
type journalHold struct {
	e    *Engine
	j    restoreJournal
	file *os.File // holds flock(LOCK_EX) on the journal while the restore runs
}

// beginJournal records that the restore of name into target starts now.
// An earlier journal of the same target (a restore that was cut short)
// passes its safety backups on, so they stay pinned until one succeeds.
func (e *Engine) beginJournal(target, name, safety string) (*journalHold, error) {
	j := restoreJournal{Database: target, Filename: name, SafetyBackup: safety, Into: target != e.Cfg.Database.Primary(),
		StartedAt: time.Now().In(e.Loc), PID: os.Getpid(), User: e.Who.Login}
	if old, err := readJournal(filepath.Join(e.dir(), journalName(target))); err == nil {
		j.Earlier = old.pinned()
	}
	if err := writeJournal(e.dir(), j); err != nil {
		return nil, fmt.Errorf("write the restore journal: %w; nothing was changed", err)
	}
	f, err := os.OpenFile(filepath.Join(e.dir(), journalName(target)), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, fmt.Errorf("open the restore journal: %w; nothing was changed", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock the restore journal: %w; nothing was changed", err)
	}
	return &journalHold{e: e, j: j, file: f}, nil
}

// done removes the journal: the target holds what the file holds.
func (h *journalHold) done() error {
	defer h.file.Close()
	if err := os.Remove(filepath.Join(h.e.dir(), journalName(h.j.Database))); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return safefile.SyncDir(h.e.dir())
}

// fail keeps the journal, with the reason: the target is partial.
func (h *journalHold) fail(cause error) {
	h.file.Close() // releases the lock: no longer running
	h.j.Failed = cause.Error()
	_ = writeJournal(h.e.dir(), h.j)
}

func writeJournal(dir string, j restoreJournal) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return safefile.WriteFile(dir, journalName(j.Database), append(b, '\n'))
}

func readJournal(path string) (restoreJournal, error) {
	var j restoreJournal
	b, err := os.ReadFile(path)
	if err != nil {
		return j, err
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return j, fmt.Errorf("restore journal %s is damaged: %w", filepath.Base(path), err)
	}
	return j, nil
}

func (j restoreJournal) pinned() []string {
	var out []string
	if j.SafetyBackup != "" {
		out = append(out, j.SafetyBackup)
	}
	return append(out, j.Earlier...)
}

// openJournal is a journal found in backup.dir, and whether its restore is
// still running (its process holds the lock).
type openJournal struct {
	restoreJournal
	running bool
}

// journals lists the restore journals in backup.dir, oldest first.
func (e *Engine) journals() []openJournal {
	paths, _ := filepath.Glob(filepath.Join(e.dir(), journalPrefix+"*"+journalSuffix))
	var out []openJournal
	for _, p := range paths {
		j, err := readJournal(p)
		if err != nil {
			continue
		}
		out = append(out, openJournal{restoreJournal: j, running: j.Failed == "" && journalLocked(p)})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].StartedAt.Before(out[b].StartedAt) })
	return out
}

// journalLocked reports whether a live process holds the journal's lock.
func journalLocked(path string) bool {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	return false
}

// pinnedByJournals names the safety backups that journals need kept.
func (e *Engine) pinnedByJournals() map[string]bool {
	pinned := map[string]bool{}
	for _, j := range e.journals() {
		for _, n := range j.pinned() {
			pinned[n] = true
		}
	}
	return pinned
}

// Interrupted says, one line each, which restores were cut short or
// failed and left a database that may be partial, and how to bring each
// back. Status, list, the screen and the restore plan show these lines.
func (e *Engine) Interrupted() []string {
	var out []string
	for _, j := range e.journals() {
		if !j.running {
			out = append(out, e.interruptedLine(j.restoreJournal))
		}
	}
	return out
}

func (e *Engine) interruptedLine(j restoreJournal) string {
	how := "was interrupted"
	if j.Failed != "" {
		how = "failed"
	}
	s := fmt.Sprintf("the restore of %s into %q at %s %s: the database may be partial; ",
		j.Filename, j.Database, j.StartedAt.In(e.Loc).Format("2006-01-02 15:04"), how)
	if pins := j.pinned(); len(pins) > 0 {
		s += "bring it back with: lifeboat restore " + pins[0]
		if j.Into {
			s += " --into " + j.Database
		}
		if len(pins) > 1 {
			s += " (earlier safety backups kept: " + strings.Join(pins[1:], ", ") + ")"
		}
		return s
	}
	return s + "it had no safety backup: restore it again, or drop it"
}

// reportInterrupted writes the audit line that a killed restore could not
// write. Callers hold the exclusive directory lock, so no restore runs in
// this directory and no journal changes under us.
func (e *Engine) reportInterrupted() {
	for _, j := range e.journals() {
		if j.running || j.Reported || j.Failed != "" {
			continue
		}
		e.recordFound(ActionRestore, j.Filename, j.StartedAt, "interrupted", e.interruptedLine(j.restoreJournal))
		j.Reported = true
		_ = writeJournal(e.dir(), j.restoreJournal)
	}
}
