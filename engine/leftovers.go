package engine

import (
	"context"
	"errors"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// Leftovers of a lifeboat killed with kill -9 (or by the OOM killer): the
// *.partial files of a backup or a manifest in backup.dir, and the
// throwaway server of a verify --restore under the temp dir. Each is
// removed once no live lifeboat owns it, and every removal is told
// through Notice (the command line prints it on stderr) and shown by
// status.

// PartialFile is a *.partial file found in backup.dir.
type PartialFile struct {
	Name    string
	Size    int64
	ModTime time.Time
	Removed bool // false: a running lifeboat holds the directory, so it may be writing it
}

// notice tells the user about a cleanup (no-op when Notice is nil).
func (e *Engine) notice(msg string) {
	if e.Notice != nil {
		e.Notice(msg)
	}
}

// partialFiles lists the regular *.partial files in dir itself (hidden
// ones too: manifests are written as .NAME.*.partial).
func partialFiles(dir string) []PartialFile {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []PartialFile
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), safefile.PartialSuffix) || !de.Type().IsRegular() {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		out = append(out, PartialFile{Name: de.Name(), Size: info.Size(), ModTime: info.ModTime()})
	}
	return out
}

// removePartialsLocked removes every partial file of backup.dir. The
// caller holds the directory lock exclusively, so no other lifeboat is
// writing any of them: they are orphans of a killed process.
func (e *Engine) removePartialsLocked() []PartialFile {
	found := partialFiles(e.dir())
	for i := range found {
		p := &found[i]
		err := os.Remove(filepath.Join(e.dir(), p.Name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			e.notice(fmt.Sprintf("could not remove %s (%s) left by a killed lifeboat in %s: %v", p.Name, units.Size(uint64(p.Size)), e.dir(), err))
			continue
		}
		p.Removed = true
		e.notice(fmt.Sprintf("removed %s (%s, %s) left in %s by a lifeboat that was killed while writing it",
			p.Name, units.Size(uint64(p.Size)), p.ModTime.In(e.Loc).Format("2006-01-02 15:04:05"), e.dir()))
	}
	return found
}

// cleanPartials removes the orphaned partial files when no lifeboat holds
// the directory (the lock is free); while one does, they are only listed.
func (e *Engine) cleanPartials(ctx context.Context) []PartialFile {
	found := partialFiles(e.dir())
	if len(found) == 0 {
		return nil
	}
	e.whileIdle(ctx, "clean up", func() { found = e.removePartialsLocked() })
	return found // unchanged when busy: a backup may be writing them
}

// cleanSandboxes removes the throwaway servers of killed verify --restore
// runs and says so; it returns what it told.
func (e *Engine) cleanSandboxes() []string {
	var out []string
	for _, l := range sandbox.CleanStale() {
		msg := l.String()
		e.notice(msg)
		out = append(out, msg)
	}
	return out
}
