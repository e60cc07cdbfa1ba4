package engine

import (
	"errors"
	"fmt"
	"sync"

	"filippo.io/age"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/crypt"
)

// Encryption: new backups are written with age to encryption.recipients
// (public keys only); reading one back needs encryption.identity_file.
// The identities are loaded once, on first use, and never logged.

// ErrNoIdentity is wrapped when an encrypted backup is read without the
// identity that opens it.
var ErrNoIdentity = crypt.ErrNoIdentity

type identityState struct {
	once sync.Once
	ids  []age.Identity
	err  error
}

// identities loads encryption.identity_file (nil, nil when none is set).
func (e *Engine) identities() ([]age.Identity, error) {
	e.ident.once.Do(func() {
		if p := e.Cfg.IdentityPath(); p != "" {
			e.ident.ids, e.ident.err = crypt.LoadIdentities(p)
		}
	})
	return e.ident.ids, e.ident.err
}

// streamFor says how to read backup file name (m may be nil): its
// compression, and for an encrypted file the identities. An encrypted
// file without a usable identity is refused here, before anything reads
// it or touches a database.
func (e *Engine) streamFor(name string, m *catalog.Manifest) (catalog.Stream, error) {
	st := catalog.StreamOf(name)
	if m != nil && m.Compression != "" {
		st.Compression = m.Compression
	}
	if m != nil && m.Encrypted {
		st.Encrypted = true
	}
	if !st.Encrypted {
		return st, nil
	}
	st.IdentityFile = e.Cfg.IdentityPath()
	ids, err := e.identities()
	if err != nil {
		return st, fmt.Errorf("%s is encrypted: %w", name, err)
	}
	if len(ids) == 0 {
		return st, fmt.Errorf("%s is encrypted with age: set encryption.identity_file to the identity that opens it: %w", name, ErrNoIdentity)
	}
	st.Identities = ids
	return st, nil
}

// canOpen reports, for list, whether the configured identity opens an
// encrypted file (it reads the header only): "yes", "no", or "no identity".
func (e *Engine) canOpen(en catalog.Entry) string {
	if !catalog.Encrypted(en.Name) && (en.Manifest == nil || !en.Manifest.Encrypted) {
		return ""
	}
	ids, err := e.identities()
	if err != nil || len(ids) == 0 {
		return OpensNoIdentity
	}
	if crypt.Opens(en.Path, ids) {
		return OpensYes
	}
	return OpensNo
}

// What list says about an encrypted backup and the configured identity.
const (
	OpensYes        = "yes"         // the identity opens it
	OpensNo         = "no"          // encrypted to other keys (an old key after a rotation)
	OpensNoIdentity = "no identity" // encryption.identity_file is not set or not readable
)

// isCryptError reports whether err is one of age's three refusals.
func isCryptError(err error) bool {
	return errors.Is(err, crypt.ErrNoIdentity) || errors.Is(err, crypt.ErrWrongKey) || errors.Is(err, crypt.ErrDamaged)
}

// EncryptionLabel is the short note list and the screen add to an
// encrypted backup's state: "age", "age: other key", "age: no identity".
func EncryptionLabel(b BackupInfo) string {
	switch {
	case !b.Encrypted:
		return ""
	case b.Opens == OpensNo:
		return "age: other key"
	case b.Opens == OpensNoIdentity:
		return "age: no identity"
	}
	return "age"
}

// NewAgeIdentity writes a new age identity to path (mode 0600, never over
// an existing file) and returns its recipient, for `lifeboat key new`.
func NewAgeIdentity(path string, postQuantum bool) (string, error) {
	return crypt.NewIdentity(path, postQuantum)
}

// identityNote says, for a restore plan, whether the configured identity
// opens the encrypted file at path (reading its header only).
func (e *Engine) identityNote(name, path string) (string, bool) {
	if _, err := e.streamFor(name, nil); err != nil {
		return err.Error(), false
	}
	ids, _ := e.identities()
	if !crypt.Opens(path, ids) {
		return fmt.Sprintf("%s was encrypted to other keys: the identity in %s does not open it; set encryption.identity_file to the key it was written for", name, e.Cfg.IdentityPath()), false
	}
	return "encrypted with age; the identity in " + e.Cfg.IdentityPath() + " opens it", true
}
