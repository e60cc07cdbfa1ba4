package catalog

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// LockName is the lock file in the backup directory. flock locks die with
// their process, so a stale lock from a dead process is taken over at once.
const LockName = ".lifeboat.lock"

// ErrBusy is returned when another lifeboat holds the directory.
var ErrBusy = errors.New("another lifeboat is working in this backup directory")

// Lock is a held directory lock.
type Lock struct {
	fl   *flock.Flock
	path string
}

// BusyHook is nil outside tests. When set, it is called each time a lock
// is found busy and the caller is about to wait, so a test can act while a
// waiter waits instead of guessing with a sleep.
var BusyHook func(action string)

// LockDir takes the directory lock for action, exclusively. It waits up to
// wait (0: do not wait) and then fails with ErrBusy naming the holder.
func LockDir(ctx context.Context, dir, action string, wait time.Duration) (*Lock, error) {
	return Take(ctx, dir, Request{Action: action, Wait: wait})
}

// LockDirShared takes the lock shared: many readers (verify, cat) at once,
// none while a writer holds it.
func LockDirShared(ctx context.Context, dir, action string, wait time.Duration) (*Lock, error) {
	return Take(ctx, dir, Request{Action: action, Wait: wait, Shared: true})
}

// Request is what Take is asked for.
type Request struct {
	Action string // written in the holder file: "backup"
	User   string // the OS user, written in the holder file
	Wait   time.Duration
	Shared bool
	// Busy, when set, is told the holder once the lock is found taken and
	// the caller is about to wait, and again whenever the holder changes.
	Busy func(Holder)
}

// Take takes the directory lock as r asks.
func Take(ctx context.Context, dir string, r Request) (*Lock, error) {
	if err := CheckDir(dir); err != nil {
		return nil, fmt.Errorf("%s: %w", r.Action, err)
	}
	path := filepath.Join(dir, LockName)
	fl := flock.New(path, flock.SetPermissions(0o600), flock.SetFlag(os.O_CREATE|os.O_RDONLY|safefile.NoFollow))
	try := fl.TryLock
	if r.Shared {
		try = fl.TryRLock
	}
	deadline := time.Now().Add(r.Wait)
	var told string
	for {
		ok, err := try()
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			// Record the holder for the message others get. A reader's
			// line is best effort: the writer waiting for it is told.
			h := Holder{Action: r.Action, PID: os.Getpid(), User: r.User, Since: time.Now().UTC().Truncate(time.Second)}
			if err := writeHolder(path+".holder", h.String()); err != nil && !r.Shared {
				fl.Unlock()
				return nil, fmt.Errorf("%s: %w", r.Action, err)
			}
			return &Lock{fl: fl, path: path}, nil
		}
		h := ReadHolder(dir)
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: %w (%s); wait for it to finish and try again", r.Action, ErrBusy, h)
		}
		if r.Busy != nil && h.String() != told {
			told = h.String()
			r.Busy(h)
		}
		if BusyHook != nil {
			BusyHook(r.Action)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Unlock releases the lock.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	return l.fl.Unlock()
}

// ownFiles are the names lifeboat writes directly in backup.dir (besides
// backups and manifests, which are created exclusively and renamed into
// place): a symbolic link at any of them is refused before anything runs.
var ownFiles = []string{LockName, LockName + ".holder", audit.FileName, "projects"}

// CheckDir refuses a backup.dir that another user could plant links in
// (safefile.CheckDir), and a symbolic link planted at any name lifeboat
// writes there. Every command that writes in backup.dir takes the lock,
// so every one of them is checked.
func CheckDir(dir string) error {
	if err := safefile.CheckDir(dir); err != nil {
		return err
	}
	for _, n := range ownFiles {
		if err := safefile.NoSymlink(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

// writeHolder replaces the holder file's text without following a link.
func writeHolder(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|safefile.NoFollow, 0o600)
	if err != nil {
		return safefile.Explain(err, path)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return safefile.Explain(err, path)
	}
	return f.Close()
}
