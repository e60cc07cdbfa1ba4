package engine

// Off-site copies (issue 20): push copies a backup and then its manifest
// to a remote; pull copies one back into backup.dir, checking size and
// sha256 against the signed manifest before the file gets its real name.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// ErrNoRemote is matched when no [[remote]] is configured or --remote names none.
var ErrNoRemote = errors.New("no such remote")

// RemoteOptions choose the remote of push and pull ("": the first one).
type RemoteOptions struct {
	Remote string
}

// CopyResult is what a push or pull moved.
type CopyResult struct {
	Filename string
	Remote   string
	Size     int64
	SHA256   string
	Duration time.Duration
}

// maxManifestSize bounds a manifest read from a remote.
const maxManifestSize = 4 << 20

// Remotes are the names of the configured remotes, in config order.
func (e *Engine) Remotes() []string {
	out := make([]string, len(e.Cfg.Remotes))
	for i, r := range e.Cfg.Remotes {
		out[i] = r.Name
	}
	return out
}

// remoteNamed returns the remote called name ("" is the first).
func (e *Engine) remoteNamed(name string) (config.Remote, error) {
	for _, r := range e.Cfg.Remotes {
		if name == "" || r.Name == name {
			return r, nil
		}
	}
	if len(e.Cfg.Remotes) == 0 {
		return config.Remote{}, fmt.Errorf("%w: add a [[remote]] section to the config", ErrNoRemote)
	}
	return config.Remote{}, fmt.Errorf("%w %q: use one of %v", ErrNoRemote, name, e.Remotes())
}

func (e *Engine) openStore(name string) (*remote.Store, error) {
	r, err := e.remoteNamed(name)
	if err != nil {
		return nil, err
	}
	return remote.Open(r)
}

// Push copies local backup name, then its manifest, to a remote.
func (e *Engine) Push(ctx context.Context, name string, opts RemoteOptions, fn progress.Func) (CopyResult, error) {
	var en catalog.Entry
	var st *remote.Store
	var res CopyResult
	err := e.do(ctx, actionSpec{action: ActionPush, progress: fn, object: name, lock: lockShared, wait: lockWait,
		holder: "push", prefix: "push " + name,
		check: func() (err error) {
			if st, err = e.openStore(opts.Remote); err != nil {
				return fmt.Errorf("push %s: %w", name, err)
			}
			if _, err = catalog.Resolve(e.dir(), name); err != nil {
				return fmt.Errorf("push: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		a.Detail = "remote " + st.Name
		if en, err = e.listed(name); err != nil {
			return fmt.Errorf("push: %w", err)
		}
		if en.Manifest == nil || (en.State != StateComplete && en.State != StateVerified) {
			return fmt.Errorf("push %s: it is %s, not a complete backup of this host: only those are copied off-site", name, en.State)
		}
		res, err = e.pushLocked(ctx, st, en, fn)
		return err
	})
	return res, err
}

// pushLocked uploads the file, then the manifest bytes as they are on
// disk (signed), so an object without its manifest is incomplete there too.
func (e *Engine) pushLocked(ctx context.Context, st *remote.Store, en catalog.Entry, fn progress.Func) (CopyResult, error) {
	start := time.Now()
	f, err := os.OpenFile(en.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return CopyResult{}, fmt.Errorf("push %s: %w", en.Name, err)
	}
	defer f.Close()
	if err := st.AbortStale(ctx, en.Name); err != nil {
		return CopyResult{}, err
	}
	tr := progress.Start("push", fn, 0)
	defer tr.Finish()
	tr.SetTable(st.Name)
	tr.SetBytesTotal(en.Manifest.Size)
	if err := st.PutTail(ctx, en.Name, remote.Whole(f, en.Manifest.Size), tr.AddBytes); err != nil {
		return CopyResult{}, err
	}
	if err := e.putManifest(ctx, st, en.Name); err != nil {
		return CopyResult{}, err
	}
	return CopyResult{Filename: en.Name, Remote: st.Name, Size: en.Manifest.Size, SHA256: en.Manifest.SHA256,
		Duration: time.Since(start)}, nil
}

// putManifest uploads the manifest of name as it is on disk (signed),
// after its file: the object is complete on the remote only then.
func (e *Engine) putManifest(ctx context.Context, st *remote.Store, name string) error {
	mb, err := os.ReadFile(filepath.Join(e.dir(), catalog.ManifestName(name)))
	if err != nil {
		return fmt.Errorf("push %s: its manifest: %w", name, err)
	}
	return st.Put(ctx, catalog.ManifestName(name), bytes.NewReader(mb), int64(len(mb)), nil)
}

// Pull copies backup name from a remote into backup.dir.
func (e *Engine) Pull(ctx context.Context, name string, opts RemoteOptions, fn progress.Func) (CopyResult, error) {
	var st *remote.Store
	var res CopyResult
	err := e.do(ctx, actionSpec{action: ActionPull, progress: fn, object: name, lock: lockExclusive, wait: lockWait,
		holder: "pull", prefix: "pull " + name,
		check: func() (err error) {
			if err = catalog.CheckName(name); err != nil {
				return fmt.Errorf("pull: %w", err)
			}
			if st, err = e.openStore(opts.Remote); err != nil {
				return fmt.Errorf("pull %s: %w", name, err)
			}
			if err := os.MkdirAll(e.dir(), 0o700); err != nil {
				return fmt.Errorf("pull: create backup.dir: %w", safefile.Explain(err, e.dir()))
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		a.Detail = "remote " + st.Name
		if _, err := os.Lstat(filepath.Join(e.dir(), name)); err == nil {
			return fmt.Errorf("pull %s: it is already in %s: delete it first to fetch the remote copy", name, e.dir())
		}
		res, err = e.pullLocked(ctx, st, name, fn)
		return err
	})
	return res, err
}

// remoteManifest reads and checks the signed manifest of name on st.
func (e *Engine) remoteManifest(ctx context.Context, st *remote.Store, name string) (*catalog.Manifest, []byte, error) {
	mb, err := st.ReadSmall(ctx, catalog.ManifestName(name), maxManifestSize)
	if errors.Is(err, remote.ErrNotFound) {
		return nil, nil, fmt.Errorf("remote %q has no manifest for %s: it is incomplete or not lifeboat's there: %w", st.Name, name, os.ErrNotExist)
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := catalog.ParseManifest(name, mb)
	if err != nil {
		return nil, nil, fmt.Errorf("remote %q: %w", st.Name, err)
	}
	t, _ := e.trust()
	if _, err := t.Verify(mb); err != nil {
		return nil, nil, fmt.Errorf("remote %q: manifest of %s: %w: it is not fetched", st.Name, name, err)
	}
	return m, mb, nil
}

func (e *Engine) pullLocked(ctx context.Context, st *remote.Store, name string, fn progress.Func) (CopyResult, error) {
	start := time.Now()
	m, mb, err := e.remoteManifest(ctx, st, name)
	if err != nil {
		return CopyResult{}, err
	}
	out, err := safefile.Create(e.dir(), name)
	if err != nil {
		return CopyResult{}, fmt.Errorf("pull %s: %w", name, safefile.Explain(err, e.dir()))
	}
	defer out.Abort() // after Commit it does nothing
	tr := progress.Start("pull", fn, 0)
	defer tr.Finish()
	tr.SetTable(st.Name)
	tr.SetBytesTotal(m.Size)
	if err := e.fetchChecked(ctx, st, m, io.MultiWriter(out, progressWriter{tr})); err != nil {
		return CopyResult{}, err
	}
	if err := out.Commit(); err != nil {
		return CopyResult{}, fmt.Errorf("pull %s: %w", name, err)
	}
	if err := safefile.WriteFile(e.dir(), catalog.ManifestName(name), mb); err != nil {
		_ = os.Remove(filepath.Join(e.dir(), name))
		return CopyResult{}, fmt.Errorf("pull %s: write its manifest: %w", name, err)
	}
	return CopyResult{Filename: name, Remote: st.Name, Size: m.Size, SHA256: m.SHA256, Duration: time.Since(start)}, nil
}

// fetchChecked streams the object of m to w and fails, naming the
// mismatch, unless its size and sha256 are the manifest's. The caller
// must not use what w received when it fails.
func (e *Engine) fetchChecked(ctx context.Context, st *remote.Store, m *catalog.Manifest, w io.Writer) error {
	return fetchObject(ctx, st, m.Filename, m.Size, m.SHA256, w)
}

// fetchObject streams object key to w and fails, naming the mismatch,
// unless it has size bytes and sha256 sum (a project backup's manifest
// gives them, as a full backup's does).
func fetchObject(ctx context.Context, st *remote.Store, key string, wantSize int64, sum string, w io.Writer) error {
	rc, size, err := st.Get(ctx, key)
	if err != nil {
		return err
	}
	defer rc.Close()
	if size != wantSize {
		return fmt.Errorf("remote %q: %s is %d bytes, its manifest says %d: the object was changed or cut short; it is refused", st.Name, key, size, wantSize)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), ctxReader{ctx, rc})
	if err != nil {
		return fmt.Errorf("remote %q: download %s: %w", st.Name, key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); n != wantSize || got != sum {
		return fmt.Errorf("remote %q: %s: sha256 mismatch: the object has sha256 %s (%d bytes), its manifest says %s: the object was changed; it is refused",
			st.Name, key, got, n, sum)
	}
	return nil
}

type progressWriter struct{ tr *progress.Tracker }

func (p progressWriter) Write(b []byte) (int, error) {
	p.tr.AddBytes(int64(len(b)))
	return len(b), nil
}

// fetchIfRemoteOnly pulls backup name into backup.dir, checked against
// its signed manifest, when only a remote holds it: restore, verify and cat
// of a backup the local disk lost work from the remote's copy, and never
// from one that does not match. The user must be allowed action first.
func (e *Engine) fetchIfRemoteOnly(ctx context.Context, action Action, name string, fn progress.Func) error {
	if len(e.Cfg.Remotes) == 0 || catalog.CheckName(name) != nil {
		return nil
	}
	if _, err := os.Lstat(filepath.Join(e.dir(), name)); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err := e.Allowed(action); err != nil {
		return nil // the action itself refuses and audits it
	}
	for _, r := range e.Cfg.Remotes {
		_, err := e.Pull(ctx, name, RemoteOptions{Remote: r.Name}, fn)
		if errors.Is(err, os.ErrNotExist) {
			continue // not on this remote
		}
		return err
	}
	return nil
}
