// Package safefile writes files so that a reader never sees half of one:
// data goes to NAME.partial (mode 0600), is synced, then renamed into place
// and the directory synced. Any failure removes the partial file.
package safefile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// PartialSuffix marks a file still being written. Listings skip it.
const PartialSuffix = ".partial"

// File is a file being written atomically. Call Commit or Abort exactly
// once; Abort after Commit does nothing, so `defer f.Abort()` is safe.
type File struct {
	f       *os.File
	dir     string
	final   string
	partial string
	done    bool
}

// Create opens dir/name.partial for writing with mode 0600. It fails if
// dir/name or its partial already exists, so two writers never share a name.
func Create(dir, name string) (*File, error) {
	final := filepath.Join(dir, name)
	if _, err := os.Lstat(final); err == nil {
		return nil, fmt.Errorf("%s already exists: %w", final, os.ErrExist)
	}
	partial := final + PartialSuffix
	f, err := os.OpenFile(partial, os.O_WRONLY|os.O_CREATE|os.O_EXCL|NoFollow, 0o600)
	if err != nil {
		return nil, Explain(err, partial)
	}
	return &File{f: f, dir: dir, final: final, partial: partial}, nil
}

// Write writes to the partial file.
func (w *File) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = Explain(err, w.partial)
	}
	return n, err
}

// OpenReader opens the file being written for reading, so that its bytes
// can be read while more are written (an upload that follows a dump). It
// refuses a file that is not the one this File writes.
func (w *File) OpenReader() (*os.File, error) {
	r, err := os.OpenFile(w.partial, os.O_RDONLY|NoFollow, 0)
	if err != nil {
		return nil, Explain(err, w.partial)
	}
	mine, err1 := w.f.Stat()
	got, err2 := r.Stat()
	if err1 != nil || err2 != nil || !os.SameFile(mine, got) {
		r.Close()
		return nil, fmt.Errorf("%s was replaced while it was written: %w", w.partial, ErrUnsafeDir)
	}
	return r, nil
}

// Name is the final path.
func (w *File) Name() string { return w.final }

// PartialName is the path being written.
func (w *File) PartialName() string { return w.partial }

// Commit syncs and closes the file, renames it into place without
// replacing anything, and syncs the directory.
func (w *File) Commit() error {
	if w.done {
		return errors.New("safefile: commit after commit or abort")
	}
	w.done = true
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		os.Remove(w.partial)
		return Explain(err, w.partial)
	}
	if err := w.f.Close(); err != nil {
		os.Remove(w.partial)
		return Explain(err, w.partial)
	}
	// link+unlink refuses to replace an existing file, unlike rename.
	if err := os.Link(w.partial, w.final); err != nil {
		os.Remove(w.partial)
		return Explain(err, w.final)
	}
	os.Remove(w.partial)
	return SyncDir(w.dir)
}

// Abort closes and removes the partial file.
func (w *File) Abort() {
	if w.done {
		return
	}
	w.done = true
	w.f.Close()
	os.Remove(w.partial)
}

// WriteFile writes data to dir/name atomically, replacing an existing file
// (used for manifests and small records that are rewritten).
func WriteFile(dir, name string, data []byte) error {
	final := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, "."+name+".*"+PartialSuffix)
	if err != nil {
		return Explain(err, final)
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return Explain(err, final)
	}
	if err := tmp.Chmod(0o600); err != nil {
		return fail(err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return Explain(err, final)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(tmp.Name())
		return Explain(err, final)
	}
	return SyncDir(dir)
}

// SyncDir fsyncs a directory so a rename in it survives a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

// ErrNoSpace is wrapped into errors caused by a full disk.
var ErrNoSpace = errors.New("no space left on device: free some space or point backup.dir at a larger disk")

// Explain turns the errors a sysadmin can act on into plain words that name
// the file, keeping the original error for errors.Is.
func Explain(err error, path string) error {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return fmt.Errorf("write %s: it is a symbolic link, and lifeboat never writes through links: %w (%w); remove it, and find out who planted it", path, ErrUnsafeDir, err)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return fmt.Errorf("write %s: %w (%w)", path, ErrNoSpace, err)
	case errors.Is(err, os.ErrPermission), errors.Is(err, syscall.EROFS):
		return fmt.Errorf("write %s: %w: check the directory's owner and mode, or run as the user that owns it", path, err)
	}
	return fmt.Errorf("write %s: %w", path, err)
}
