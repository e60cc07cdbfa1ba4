package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
)

// MaxPartSize is S3's largest part.
const MaxPartSize = 5 << 30

// StreamPartSize is the size of part n (from 0) of a streamed upload,
// whose final size is not known when it starts: 16 MiB for the first 64
// parts, doubling every 64 parts up to S3's 5 GiB. A part is read from the
// file, never held in memory, so a large part costs only its resend on a
// retry. MaxParts (900) parts hold MaxStreamSize, 2.08 TiB.
func StreamPartSize(n int) int64 {
	return min(int64(MinPartSize)<<(n/64), MaxPartSize)
}

// MaxStreamSize is the largest file PutTail uploads: MaxParts parts.
var MaxStreamSize = func() int64 {
	var s int64
	for i := range MaxParts {
		s += StreamPartSize(i)
	}
	return s
}()

// retryWaits are the pauses between attempts at one request that failed
// in a way that may pass (a remote restarting, a dropped connection), on
// top of the few quick retries minio-go makes within each attempt.
var retryWaits = []time.Duration{time.Second, 3 * time.Second}

// stallAfter is how long an upload may send nothing before the attempt is
// given up (and retried): a remote that stopped answering without closing
// the connection would otherwise hold the backup forever.
var stallAfter = time.Minute

// abortTimeout bounds the abort of a failed upload.
var abortTimeout = 10 * time.Second

// errStalled is why an attempt that sent nothing for stallAfter ended.
var errStalled = errors.New("the remote stopped answering (check it and the network)")

// PutTail uploads the file t follows as name while it is still being
// written: each part goes as soon as the file holds it, as a multipart
// upload, so the copy ends one part after the file does. A file that ends
// within the first part goes as one plain upload. Memory stays bounded
// (parts are read from the file as they are sent). A failed or cancelled
// upload is aborted; if the remote is down and keeps the parts, the next
// push's AbortStale removes them. counted hears the bytes sent.
func (s *Store) PutTail(ctx context.Context, name string, t *Tail, counted func(int64)) (err error) {
	first := StreamPartSize(0)
	n, done, err := t.waitFor(ctx, first+1)
	if err != nil {
		return s.explain("upload "+name, err)
	}
	if done && n <= first {
		body := newCounted(t.f, 0, n, counted)
		return s.retry(ctx, "upload "+name, func() error {
			return body.attempt(ctx, func(ctx context.Context) error {
				_, err := s.c.PutObject(ctx, s.bucket, s.Key(name), body, n,
					minio.PutObjectOptions{ContentType: "application/octet-stream", DisableMultipart: true})
				return err
			})
		})
	}
	core := minio.Core{Client: s.c}
	key := s.Key(name)
	var id string
	if err := s.retry(ctx, "start upload of "+name, func() (err error) {
		id, err = core.NewMultipartUpload(ctx, s.bucket, key, minio.PutObjectOptions{ContentType: "application/octet-stream"})
		return err
	}); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
			defer cancel()
			_ = core.AbortMultipartUpload(actx, s.bucket, key, id)
		}
	}()
	parts, err := s.putParts(ctx, core, name, id, t, counted)
	if err != nil {
		return err
	}
	return s.retry(ctx, "finish upload of "+name, func() error {
		_, err := core.CompleteMultipartUpload(ctx, s.bucket, key, id, parts, minio.PutObjectOptions{})
		return err
	})
}

// partOptions send parts with an unsigned payload, as minio-go already
// does over https: over plain http it would otherwise hash every byte
// twice more (client and server) for a chunk signature, on the CPU the
// dump needs. What arrives is checked anyway: pull, restore and verify
// refuse an object whose sha256 is not its signed manifest's.
var partOptions = minio.PutObjectPartOptions{DisableContentSha256: true}

// putParts sends the parts of t as the file grows, until it is whole.
func (s *Store) putParts(ctx context.Context, core minio.Core, name, id string, t *Tail, counted func(int64)) ([]minio.CompletePart, error) {
	var parts []minio.CompletePart
	var off int64
	for i := 0; ; i++ {
		size := StreamPartSize(i)
		n, done, err := t.waitFor(ctx, off+size)
		if err != nil {
			return nil, s.explain("upload "+name, err)
		}
		if n < off+size { // the file is whole: the last part
			size = n - off
		}
		if size == 0 {
			return parts, nil
		}
		if i == MaxParts {
			return nil, fmt.Errorf("remote %q: upload %s: more than %d bytes (%d parts) cannot be copied off-site: split the backup (fewer databases per config)",
				s.Name, name, MaxStreamSize, MaxParts)
		}
		var p minio.ObjectPart
		what := fmt.Sprintf("upload %s (part %d)", name, i+1)
		body := newCounted(t.f, off, size, counted)
		if err := s.retry(ctx, what, func() error {
			return body.attempt(ctx, func(ctx context.Context) (err error) {
				p, err = core.PutObjectPart(ctx, s.bucket, s.Key(name), id, i+1, body, size, partOptions)
				return err
			})
		}); err != nil {
			return nil, err
		}
		parts = append(parts, minio.CompletePart{PartNumber: i + 1, ETag: p.ETag})
		off += size
		if done && off == n {
			return parts, nil
		}
	}
}

// retry runs f until it succeeds, fails in a way a retry cannot mend, or
// the attempts in retryWaits are spent, waiting between attempts.
func (s *Store) retry(ctx context.Context, what string, f func() error) error {
	var err error
	for i := 0; ; i++ {
		if err = f(); err == nil || i == len(retryWaits) || !transient(err) || ctx.Err() != nil {
			break
		}
		select {
		case <-time.After(retryWaits[i]):
		case <-ctx.Done():
			return s.explain(what, ctx.Err())
		}
	}
	return s.explain(what, err)
}

// transient says whether err may pass on its own: a network error or a
// server's 5xx or throttling, not a refusal (credentials, bucket, clock).
func transient(err error) bool {
	if errors.Is(err, errStalled) {
		return true
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	r := minio.ToErrorResponse(err)
	switch {
	case r.Code == "SlowDown" || r.Code == "RequestTimeout" || r.Code == "InternalError":
		return true
	case r.StatusCode >= http.StatusInternalServerError:
		return true
	case r.StatusCode == 0 && r.Code == "":
		return true // no reply: the connection failed
	}
	return false
}

// counted is one part of a file read for an upload: it reports the bytes
// read and takes them back when a retry reads them again.
type counted struct {
	r    *io.SectionReader
	fn   func(int64)
	sent atomic.Int64 // bytes reported, read from the start of the part
	last atomic.Int64 // unix nanoseconds of the last read
}

func newCounted(f io.ReaderAt, off, n int64, fn func(int64)) *counted {
	return &counted{r: io.NewSectionReader(f, off, n), fn: fn}
}

// attempt runs one try at sending c from its start, ending it with
// errStalled when nothing is read for stallAfter.
func (c *counted) attempt(ctx context.Context, send func(context.Context) error) error {
	if _, err := c.Seek(0, io.SeekStart); err != nil {
		return err
	}
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	limit := stallAfter
	c.last.Store(time.Now().UnixNano())
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(limit / 4)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if time.Since(time.Unix(0, c.last.Load())) > limit {
					cancel(errStalled)
					return
				}
			}
		}
	}()
	err := send(actx)
	close(stop)
	<-stopped
	if cause := context.Cause(actx); err != nil && ctx.Err() == nil && errors.Is(cause, errStalled) {
		return fmt.Errorf("nothing was sent for %v: %w", limit, errStalled)
	}
	return err
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.last.Store(time.Now().UnixNano())
		if c.fn != nil {
			c.sent.Add(int64(n))
			c.fn(int64(n))
		}
	}
	return n, err
}

func (c *counted) Seek(off int64, whence int) (int64, error) {
	pos, err := c.r.Seek(off, whence)
	if err == nil && c.fn != nil {
		if back := c.sent.Swap(pos); back != pos {
			c.fn(pos - back)
		}
	}
	return pos, err
}
