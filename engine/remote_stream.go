package engine

// Push while dumping (issue 20): every remote's upload of a new backup
// follows the file as the dump writes it, part by part, so the off-site
// copy is done one part after the local file is. The manifest still goes
// last, after the local file is committed and the upload finished.

import (
	"context"
	"os"
	"sync/atomic"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// offsiteStreams are the uploads of one new backup, one per remote.
type offsiteStreams struct {
	cancel   context.CancelFunc
	list     []*offsiteStream
	finished bool
}

type offsiteStream struct {
	remote string
	st     *remote.Store
	tail   *remote.Tail
	file   *os.File // read side of the backup file
	sent   atomic.Int64
	done   chan struct{}
	err    error
}

// readableWhileWritten is a backup file whose bytes can be read while it
// is written: safefile.File is; a test's simulated disk is not.
type readableWhileWritten interface {
	OpenReader() (*os.File, error)
}

// startStreams begins one upload per remote of the file f writes as name.
// A remote whose upload cannot start here (no credentials, a file that
// cannot be read while written) gets none, and pushAfterBackup copies the
// finished file to it instead, reporting any error then.
func (e *Engine) startStreams(ctx context.Context, f backupFile, name string) *offsiteStreams {
	rf, ok := f.(readableWhileWritten)
	if len(e.Cfg.Remotes) == 0 || !ok {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &offsiteStreams{cancel: cancel}
	for _, r := range e.Cfg.Remotes {
		st, err := remote.Open(r)
		if err != nil {
			continue
		}
		fd, err := rf.OpenReader()
		if err != nil {
			continue
		}
		u := &offsiteStream{remote: r.Name, st: st, tail: remote.NewTail(fd), file: fd, done: make(chan struct{})}
		go func() {
			defer close(u.done)
			u.err = st.PutTail(ctx, name, u.tail, func(n int64) { u.sent.Add(n) })
		}()
		s.list = append(s.list, u)
	}
	return s
}

// grew passes the bytes the dump just wrote to every upload.
func (s *offsiteStreams) grew(n int) {
	if s == nil {
		return
	}
	for _, u := range s.list {
		u.tail.Grew(n)
	}
}

// finish tells the uploads that the file is whole: committed, its
// manifest written. They complete with the last part.
func (s *offsiteStreams) finish() {
	if s == nil {
		return
	}
	s.finished = true
	for _, u := range s.list {
		u.tail.Finish()
	}
}

// stop aborts the uploads of a backup that failed or was cancelled and
// waits for them to abort their multipart uploads. After finish it does
// nothing: pushAfterBackup waits for those.
func (s *offsiteStreams) stop() {
	if s == nil || s.finished {
		return
	}
	s.close()
}

// close cancels what is left and releases the files.
func (s *offsiteStreams) close() {
	if s == nil {
		return
	}
	s.cancel()
	for _, u := range s.list {
		<-u.done
		u.file.Close()
	}
}

// of is the upload to remote name, or nil when it has none.
func (s *offsiteStreams) of(name string) *offsiteStream {
	if s == nil {
		return nil
	}
	for _, u := range s.list {
		if u.remote == name {
			return u
		}
	}
	return nil
}

// finishStream waits for the upload u of the finished backup res, showing
// its bytes as a push, then uploads the manifest, last.
func (e *Engine) finishStream(ctx context.Context, u *offsiteStream, res *BackupResult, fn progress.Func) error {
	tr := progress.Start("push", fn, 0)
	defer tr.Finish()
	tr.SetTable(u.remote)
	tr.SetBytesTotal(res.Size)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for wait := true; wait; {
		select {
		case <-u.done:
			wait = false
		case <-tick.C:
		}
		tr.SetBytes(u.sent.Load())
	}
	if u.err != nil {
		return u.err
	}
	return e.putManifest(ctx, u.st, res.Filename)
}
