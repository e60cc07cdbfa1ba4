package engine

import (
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/crypt"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// Project backups are stored as full backups are (issue 13 item 16,
// issue 14): the JSON compressed as backup.compression says and, with
// [encryption], encrypted with age to its recipients (…json.gz.age).
// Package project cannot import catalog, so the engine hands it the
// writer and the reader.

// projectCompression is how new project backups are compressed.
func (e *Engine) projectCompression() string {
	if c := e.Cfg.Backup.Compression; c != "" {
		return c
	}
	return "gzip"
}

// projectWrap is the writer of a new project backup's bytes: compressed,
// then encrypted to recipients when there are any.
func (e *Engine) projectWrap(compression string, recipients []age.Recipient) project.Wrap {
	return func(w io.Writer) (io.WriteCloser, error) {
		return catalog.NewStreamWriter(w, compression, recipients)
	}
}

// projectOpen reads a project backup's JSON as its name says: plain
// .json (older backups), .json.gz, .json.zst, and each of them .age,
// decrypted with encryption.identity_file, streamed.
func (e *Engine) projectOpen() project.Open {
	return func(name string, r io.Reader) (io.ReadCloser, error) {
		st, err := e.streamFor(name, nil)
		if err != nil {
			return nil, err
		}
		return st.Reader(r)
	}
}

// projectSealedOpen checks an encrypted project backup from outside
// only, for verify without the identity: its age header, then it says
// the content was not checked (project.ErrSealed).
func projectSealedOpen(_ string, r io.Reader) (io.ReadCloser, error) {
	h, err := crypt.ReadHeader(r)
	if err != nil {
		return nil, err
	}
	return nil, &project.SealedError{Header: fmt.Sprintf("age v1, %d recipient(s): %v", len(h.Stanzas), h.Stanzas)}
}

// projectOpenable refuses, before anything reads the file or touches the
// database, an encrypted project backup that the configured identity
// cannot open: none is set, it cannot be read, or it is another key.
func (e *Engine) projectOpenable(name, path string) error {
	if !catalog.Encrypted(name) {
		return nil
	}
	if _, err := e.streamFor(name, nil); err != nil {
		return fmt.Errorf("project backup %w; the database was not touched", err)
	}
	if note, ok := e.identityNote(name, path); !ok {
		return fmt.Errorf("project backup %s; the database was not touched: %w", note, crypt.ErrWrongKey)
	}
	return nil
}

// projectVerifyOpen is how verify reads name: decrypted when the
// identity is here, from outside only when there is none.
func (e *Engine) projectVerifyOpen(name string) project.Open {
	if _, err := e.streamFor(name, nil); catalog.Encrypted(name) && errors.Is(err, ErrNoIdentity) {
		return projectSealedOpen
	}
	return e.projectOpen()
}

// projectOpens says, for listing, whether the configured identity opens
// the encrypted project backup at path (""  for a path it cannot read:
// a backup only a remote holds).
func (e *Engine) projectOpens(path string) string {
	ids, err := e.identities()
	switch {
	case err != nil || len(ids) == 0:
		return OpensNoIdentity
	case path == "":
		return ""
	case crypt.Opens(path, ids):
		return OpensYes
	}
	return OpensNo
}
