// Package remote owns the off-site copies of backups in S3-compatible
// object storage (issue 20): upload as a bounded multipart stream, download,
// list and remove objects under a remote's prefix. It knows nothing of
// manifests or signatures; the engine decides what an object means.
//
// The client is minio-go v7: one module with a small dependency tree that
// speaks plain S3 (SigV4, path or virtual-host style) to AWS, B2, R2,
// Wasabi, Ceph, Garage, SeaweedFS and MinIO alike, retries transient errors
// with backoff, and aborts a failed or cancelled multipart upload itself.
package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/lifeboat-dev/lifeboat/config"
)

// MinPartSize is the smallest part lifeboat uploads; parts grow with the
// file so that no upload needs more than MaxParts parts.
const (
	MinPartSize = 16 << 20
	MaxParts    = 900 // under the 1,000-part limit some providers set (AWS: 10,000)
)

// maxRetries bounds minio-go's own retry-with-backoff of each request, so a
// remote that is down fails the push in seconds, not minutes.
const maxRetries = 4

// Store is one remote's bucket and prefix.
type Store struct {
	Name   string
	bucket string
	prefix string
	c      *minio.Client
}

// Object is one object directly under the prefix.
type Object struct {
	Name    string // without the prefix
	Size    int64
	ModTime time.Time
}

// Open builds the client for r. It sends nothing over the network.
func Open(r config.Remote) (*Store, error) {
	cr, err := r.Credentials()
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(r.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("remote %q: endpoint: %v", r.Name, err)
	}
	lookup := minio.BucketLookupAuto
	if r.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken),
		Secure:       u.Scheme == "https",
		Region:       r.Region,
		BucketLookup: lookup,
		MaxRetries:   maxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("remote %q: %v", r.Name, err)
	}
	c.SetAppInfo("lifeboat", "1")
	return &Store{Name: r.Name, bucket: r.Bucket, prefix: r.ObjectPrefix(), c: c}, nil
}

// Key is the object key of name under the prefix.
func (s *Store) Key(name string) string { return s.prefix + name }

// PartSize is the multipart part size for a file of size bytes: at least
// MinPartSize, and large enough that the upload needs at most MaxParts
// parts (a 50 GB backup gets 57 MiB parts, 878 of them).
func PartSize(size int64) uint64 {
	p := (size + MaxParts - 1) / MaxParts
	p = (p + 1<<20 - 1) &^ (1<<20 - 1) // whole MiB
	return uint64(max(p, MinPartSize))
}

// Put uploads size bytes of r as name. Failure or cancel aborts the
// multipart upload (minio-go does; AbortStale sweeps what a dead remote
// kept). counted, when not nil, hears every uploaded chunk's length.
func (s *Store) Put(ctx context.Context, name string, r io.Reader, size int64, counted func(int64)) error {
	opts := minio.PutObjectOptions{ContentType: "application/octet-stream", PartSize: PartSize(size), NumThreads: 1,
		DisableContentSha256: false}
	if counted != nil {
		opts.Progress = countReader(counted)
	}
	_, err := s.c.PutObject(ctx, s.bucket, s.Key(name), r, size, opts)
	return s.explain("upload "+name, err)
}

// AbortStale aborts the open multipart uploads of name: parts a remote
// kept when it went down before the abort of a failed upload could reach it.
func (s *Store) AbortStale(ctx context.Context, name string) error {
	return s.explain("abort old uploads of "+name, goneIsFine(s.c.RemoveIncompleteUpload(ctx, s.bucket, s.Key(name))))
}

// goneIsFine drops the error of aborting an upload that is gone already
// (an earlier abort reached the remote meanwhile).
func goneIsFine(err error) error {
	if minio.ToErrorResponse(err).Code == "NoSuchUpload" {
		return nil
	}
	return err
}

// AbortOrphans aborts the open multipart uploads directly under the
// prefix whose name stale accepts: the parts an earlier upload left when
// the remote went down before its abort could reach it. It returns the
// names it aborted.
func (s *Store) AbortOrphans(ctx context.Context, stale func(name string) bool) ([]string, error) {
	var out []string
	core := minio.Core{Client: s.c}
	for u := range s.c.ListIncompleteUploads(ctx, s.bucket, s.prefix, false) {
		if u.Err != nil {
			return out, s.explain("list open uploads", u.Err)
		}
		name := strings.TrimPrefix(u.Key, s.prefix)
		if name == "" || strings.Contains(name, "/") || !stale(name) {
			continue
		}
		if err := goneIsFine(core.AbortMultipartUpload(ctx, s.bucket, u.Key, u.UploadID)); err != nil {
			return out, s.explain("abort the old upload of "+name, err)
		}
		out = append(out, name)
	}
	return out, nil
}

// Incomplete lists the keys of open multipart uploads under the prefix.
func (s *Store) Incomplete(ctx context.Context) ([]string, error) {
	var out []string
	for u := range s.c.ListIncompleteUploads(ctx, s.bucket, s.prefix, true) {
		if u.Err != nil {
			return out, s.explain("list open uploads", u.Err)
		}
		out = append(out, u.Key)
	}
	return out, nil
}

// Get opens name for reading and returns its size.
func (s *Store) Get(ctx context.Context, name string) (io.ReadCloser, int64, error) {
	o, err := s.c.GetObject(ctx, s.bucket, s.Key(name), minio.GetObjectOptions{})
	if err != nil {
		return nil, 0, s.explain("download "+name, err)
	}
	st, err := o.Stat()
	if err != nil {
		o.Close()
		return nil, 0, s.explain("download "+name, err)
	}
	return o, st.Size, nil
}

// ReadSmall reads a whole small object (a manifest), at most limit bytes.
func (s *Store) ReadSmall(ctx context.Context, name string, limit int64) ([]byte, error) {
	rc, size, err := s.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if size > limit {
		return nil, fmt.Errorf("remote %q: %s is %d bytes, more than a manifest can be", s.Name, name, size)
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit))
	return b, s.explain("download "+name, err)
}

// List returns the objects directly under the prefix (not in sub-folders
// such as projects/).
func (s *Store) List(ctx context.Context) ([]Object, error) {
	return s.list(ctx, s.prefix, false, "list")
}

// ListUnder returns the objects directly in folder dir under the prefix
// (such as projects/12), named relative to that folder.
func (s *Store) ListUnder(ctx context.Context, dir string) ([]Object, error) {
	return s.list(ctx, s.prefix+strings.Trim(dir, "/")+"/", false, "list "+dir)
}

// ListTree returns every object below folder dir under the prefix, at
// any depth (such as projects/12/x under projects), named relative to dir:
// one paginated listing instead of one per subfolder.
func (s *Store) ListTree(ctx context.Context, dir string) ([]Object, error) {
	return s.list(ctx, s.prefix+strings.Trim(dir, "/")+"/", true, "list "+dir)
}

// list returns the objects under base, named relative to it: with
// recursive, at any depth; without, only those directly in it.
func (s *Store) list(ctx context.Context, base string, recursive bool, what string) ([]Object, error) {
	var out []Object
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: base, Recursive: recursive}) {
		if o.Err != nil {
			return nil, s.explain(what, o.Err)
		}
		name := strings.TrimPrefix(o.Key, base)
		if name == "" || strings.HasSuffix(name, "/") || (!recursive && strings.Contains(name, "/")) {
			continue
		}
		out = append(out, Object{Name: name, Size: o.Size, ModTime: o.LastModified})
	}
	return out, nil
}

// Remove deletes name.
func (s *Store) Remove(ctx context.Context, name string) error {
	return s.explain("remove "+name, s.c.RemoveObject(ctx, s.bucket, s.Key(name), minio.RemoveObjectOptions{}))
}

// Check says whether the bucket can be reached with these credentials.
func (s *Store) Check(ctx context.Context) error {
	// A listing, not HEAD: a HEAD reply has no body, so every refusal
	// would read as "access denied" instead of naming the wrong key.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, MaxKeys: 1}) {
		return s.explain("reach bucket "+s.bucket, o.Err)
	}
	return nil
}

// ErrNotFound is matched by an object that does not exist.
var ErrNotFound = errors.New("no such object")

// explain turns a client error into one that says what to fix. minio-go's
// errors never hold the secret key; this adds none.
func (s *Store) explain(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("remote %q: %s: %w", s.Name, what, err)
	}
	var hint string
	code := minio.ToErrorResponse(err).Code
	switch code {
	case "NoSuchKey":
		return fmt.Errorf("remote %q: %s: %w", s.Name, what, ErrNotFound)
	case "NoSuchBucket":
		hint = fmt.Sprintf("bucket %q does not exist: create it or fix bucket in [[remote]] %q", s.bucket, s.Name)
	case "InvalidAccessKeyId", "XAdminUserNotFound": // the second: versitygw
		hint = "the access key id is not known there: fix access_key_id (or AWS_ACCESS_KEY_ID)"
	case "SignatureDoesNotMatch":
		hint = "the secret key is wrong: fix secret_access_key (or AWS_SECRET_ACCESS_KEY); it is not shown"
	case "AccessDenied":
		hint = "access denied: give these credentials read and write on the bucket and prefix"
	case "RequestTimeTooSkewed":
		hint = fmt.Sprintf("this machine's clock (%s UTC) is too far from the server's (S3 allows 15 minutes): set the time (timedatectl set-ntp true) and try again",
			time.Now().UTC().Format(time.DateTime))
	default:
		hint = err.Error()
		if code != "" {
			hint = code + ": " + hint
		}
		if strings.Contains(hint, "connection refused") || strings.Contains(hint, "no such host") || strings.Contains(hint, "i/o timeout") {
			hint = "not reachable (" + hint + "): check endpoint and the network"
		}
	}
	return fmt.Errorf("remote %q: %s: %s", s.Name, what, hint)
}

// countReader is the Progress hook of minio-go: it reads what was sent.
type countReader func(int64)

func (f countReader) Read(p []byte) (int, error) {
	f(int64(len(p)))
	return len(p), nil
}
