package catalog

import (
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"github.com/lifeboat-dev/lifeboat/engine/crypt"
)

// Stream says how a backup file's bytes turn into its SQL (or a project
// backup's JSON): decrypted with age when Encrypted, then decompressed.
type Stream struct {
	Compression string // gzip | zstd | none
	Encrypted   bool
	// Identities open an encrypted file; IdentityFile is named when they
	// are missing or do not fit.
	Identities   []age.Identity
	IdentityFile string
}

// StreamOf is the stream a file name says it holds (no identities).
func StreamOf(name string) Stream {
	return Stream{Compression: CompressionOf(name), Encrypted: Encrypted(name)}
}

// Reader returns r's content: decrypted, then decompressed. Closing it
// does not close r.
func (s Stream) Reader(r io.Reader) (io.ReadCloser, error) {
	if s.Encrypted {
		d, err := crypt.Decrypt(r, s.Identities, s.IdentityFile)
		if err != nil {
			return nil, err
		}
		r = d
	}
	rc, err := NewReader(r, s.Compression)
	var damage *crypt.DamageError
	if errors.As(err, &damage) { // the decompressor's first read hit it: say that, not "not a gzip file"
		return nil, damage
	}
	return rc, err
}

// NewStreamWriter compresses what it is given and, with recipients,
// encrypts the compressed stream to them, writing to w. Close flushes
// both layers; it does not close w.
func NewStreamWriter(w io.Writer, compression string, recipients []age.Recipient) (io.WriteCloser, error) {
	if len(recipients) == 0 {
		return NewWriter(w, compression)
	}
	aw, err := age.Encrypt(w, recipients...)
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	cw, err := NewWriter(aw, compression)
	if err != nil {
		return nil, err
	}
	return &layered{outer: cw, inner: aw}, nil
}

// layered closes the compressor, then the encryption under it.
type layered struct {
	outer io.WriteCloser
	inner io.WriteCloser
}

func (l *layered) Write(p []byte) (int, error) { return l.outer.Write(p) }

func (l *layered) Close() error {
	err := l.outer.Close()
	if ierr := l.inner.Close(); err == nil {
		err = ierr
	}
	return err
}
