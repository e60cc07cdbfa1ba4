package engine

import (
	"context"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"os"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// Status reports the directory, the server and the backups. A server that
// does not answer is not an error: ServerOK is false and ServerError says why.
func (e *Engine) Status(ctx context.Context) (Status, error) {
	st := Status{Dir: e.dir(), Keep: e.keep()}
	if fi, err := os.Stat(st.Dir); err == nil && fi.IsDir() {
		st.DirExists = true
		st.DirWritable = dirWritable(st.Dir)
		var fs syscall.Statfs_t
		if syscall.Statfs(st.Dir, &fs) == nil {
			st.FreeBytes = fs.Bavail * uint64(fs.Bsize)
		}
	}
	pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	ver, err := e.Ping(pctx)
	cancel()
	if err != nil {
		st.ServerError = err.Error()
	} else {
		st.ServerOK, st.ServerVersion = true, ver
		st.Previous = e.keptPrevious(ctx)
	}
	if st.DirExists {
		st.Partials = e.cleanPartials(ctx)
	}
	for _, p := range st.Partials {
		if p.Removed {
			st.Cleaned = append(st.Cleaned, "removed "+p.Name+" left by a killed lifeboat")
		}
	}
	st.Cleaned = append(st.Cleaned, e.cleanSandboxes()...)
	entries, err := e.entries()
	if err != nil {
		return st, err
	}
	e.summarize(&st, entries)
	st.Databases = e.databaseStatus(entries) // per database (status_databases.go)
	st.Warnings = e.warnings(st)
	e.signingStatus(&st, entries)
	st.Schedule = e.scheduleSummary(ctx)
	e.remoteStatus(ctx, &st)
	if st.ServerOK {
		st.Warnings = append(st.Warnings, e.triggerWarnings(ctx)...)
		if w := e.leftoverCopy(ctx); w != "" {
			st.Warnings = append(st.Warnings, w)
		}
	}
	return st, ctx.Err()
}

// summarize fills the totals over the complete and verified backups of
// this config's database; safety backups are counted apart and are never
// the "last backup".
func (e *Engine) summarize(st *Status, entries []catalog.Entry) {
	scope := e.scope()
	var ordinary []catalog.Entry
	for _, en := range entries {
		if !catalog.Prunable(en) || en.Scope() != scope {
			continue
		}
		if en.Safety() {
			st.SafetyBackups++
			continue
		}
		ordinary = append(ordinary, en)
		bi := infoOf(en, e.Loc)
		st.Total++
		st.TotalSize += en.Size
		if st.Newest == nil {
			st.Newest, st.LastComplete = &bi, &bi
		}
		st.Oldest = &bi
	}
	staleAfter := e.Cfg.Backup.StaleAfter.Duration
	if staleAfter <= 0 {
		staleAfter = config.DefaultStaleAfter
	}
	st.Stale = st.LastComplete == nil || time.Since(st.LastComplete.CreatedAt) > staleAfter
	st.LowSpace = st.DirExists && st.Newest != nil && st.FreeBytes < 2*uint64(st.Newest.Size)
	for i := 1; i < len(ordinary); i++ { // prune keeps the older one until a person deletes it
		if catalog.Shrank(ordinary[i-1], ordinary[i]) {
			st.Shrank = shrinkWarning(ordinary[i-1], ordinary[i])
			break
		}
	}
	st.Interrupted = e.Interrupted()
}

// shrinkWarning says that backup next holds less than half the rows of
// prev, which prune therefore keeps.
func shrinkWarning(next, prev catalog.Entry) string {
	return fmt.Sprintf("backup %s holds %d rows, less than half of the %d in %s: was data deleted? %s is kept until you delete it",
		next.Name, next.Manifest.Rows, prev.Manifest.Rows, prev.Name, prev.Name)
}

func (e *Engine) warnings(st Status) []string {
	w := append([]string{}, st.Interrupted...)
	if st.Shrank != "" {
		w = append(w, st.Shrank)
	}
	switch {
	case !st.DirExists:
		w = append(w, fmt.Sprintf("backup directory %s does not exist: take a backup to create it, or fix backup.dir", st.Dir))
	case !st.DirWritable:
		w = append(w, fmt.Sprintf("backup directory %s is not writable by this user: backups will fail", st.Dir))
	}
	if err := catalog.CheckDir(st.Dir); st.DirExists && err != nil {
		w = append(w, err.Error()+": every command that writes there refuses it")
	}
	if !st.ServerOK {
		w = append(w, "the server does not answer: "+st.ServerError)
	}
	switch {
	case st.LastComplete == nil:
		w = append(w, "there is no complete backup: take one with `lifeboat backup`")
	case st.Stale:
		w = append(w, fmt.Sprintf("the last complete backup is %s old (%s): check the backup schedule",
			humanize.RelTime(st.LastComplete.CreatedAt, time.Now(), "", ""), st.LastComplete.Filename))
	}
	for _, p := range st.Partials {
		if !p.Removed {
			w = append(w, fmt.Sprintf("%s in %s is being written by a running lifeboat (or one that holds the directory); it is removed once none does", p.Name, st.Dir))
		}
	}
	if st.LowSpace {
		w = append(w, fmt.Sprintf("only %s free in %s, less than twice the newest backup (%s): the next backup may not fit",
			units.Size(st.FreeBytes), st.Dir, units.Size(uint64(st.Newest.Size))))
	}
	return w
}

// dirWritable proves the directory writable by creating and removing a
// hidden temporary file (access(2) lies under root and ACLs).
func dirWritable(dir string) bool {
	f, err := os.CreateTemp(dir, ".lifeboat-write-test-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	return os.Remove(name) == nil
}
