package engine

// The host's manifest signing key (issue 11 item 6). Every manifest this
// engine writes is signed with it; a manifest that is unsigned or signed by
// a key that is neither this one nor in backup.trusted_keys is treated as
// foreign by list, verify and restore.

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// ErrUntrusted is matched by a manifest that is unsigned, signed by a key
// this host does not trust, or changed after it was signed: its backup is
// handled as a foreign dump.
var ErrUntrusted = catalog.ErrUntrusted

// signingState caches the key once it was read or made.
type signingState struct {
	mu  sync.Mutex
	key ed25519.PrivateKey
}

// SigningKeyPath is the private key's file (backup.signing_key or its default).
func (e *Engine) SigningKeyPath() string { return e.Cfg.SigningKeyPath() }

// PublicKey is this host's public key in text form ("ed25519:<base64>"),
// the value another host puts in backup.trusted_keys. It makes the key on
// first use.
func (e *Engine) PublicKey() (string, error) {
	k, err := e.signingKey()
	if err != nil {
		return "", err
	}
	return config.FormatPublicKey(k.Public().(ed25519.PublicKey)), nil
}

// signingKey reads the key, or makes it on first use.
func (e *Engine) signingKey() (ed25519.PrivateKey, error) {
	e.signing.mu.Lock()
	defer e.signing.mu.Unlock()
	if e.signing.key != nil {
		return e.signing.key, nil
	}
	k, err := loadOrCreateKey(e.SigningKeyPath(), e.dir())
	if err != nil {
		return nil, err
	}
	e.signing.key = k
	return k, nil
}

// trust is this host's key plus backup.trusted_keys. When this host's key
// cannot be read, only the trusted keys count (never "no check at all").
func (e *Engine) trust() (*catalog.Trust, error) {
	others, oerr := e.Cfg.TrustedPublicKeys()
	k, kerr := e.signingKey()
	var own ed25519.PublicKey
	if kerr == nil {
		own = k.Public().(ed25519.PublicKey)
	}
	return catalog.NewTrust(own, others...), errors.Join(kerr, oerr)
}

// entries lists backup.dir with signatures checked: every listing in the
// engine goes through here.
func (e *Engine) entries() ([]catalog.Entry, error) {
	t, _ := e.trust() // an unreadable key makes our backups foreign; status says why
	return catalog.ListTrusted(e.dir(), e.Loc, t)
}

// trustedManifest is the one way restore and verify read a manifest. It
// returns the manifest when it is signed by this host or a trusted key.
// Otherwise the error wraps os.ErrNotExist (no manifest: a foreign file),
// ErrUntrusted (unsigned or untrusted: handle the file as foreign, and say
// why from the error), or neither (a damaged manifest).
func (e *Engine) trustedManifest(name string) (*catalog.Manifest, error) {
	m, _, err := e.readTrusted(name)
	return m, err
}

// readTrusted is trustedManifest that also returns the signer's key.
func (e *Engine) readTrusted(name string) (*catalog.Manifest, string, error) {
	t, terr := e.trust()
	m, signer, err := catalog.ReadTrustedManifest(e.dir(), name, t)
	if errors.Is(err, ErrUntrusted) && terr != nil {
		err = fmt.Errorf("%w (and this host's key is unusable: %v)", err, terr)
	}
	return m, signer, err
}

// signerLabel says who signed: this host, or which trusted key.
func (e *Engine) signerLabel(signer string) string {
	if t, _ := e.trust(); t != nil && signer == t.Own() {
		return "this host"
	}
	return "trusted key " + signer
}

// saveManifest signs m with this host's key and writes it atomically.
func (e *Engine) saveManifest(m *catalog.Manifest) error {
	k, err := e.signingKey()
	if err != nil {
		return err
	}
	return catalog.WriteSignedManifest(e.dir(), m, k)
}

const pemType = "PRIVATE KEY" // PKCS #8, as openssl writes it

// loadOrCreateKey reads the PEM (PKCS #8) ed25519 key at path, making it
// (0600, atomically, never replacing one) when it does not exist. A key
// inside backupDir, or one that group or others may read, is refused.
func loadOrCreateKey(path, backupDir string) (ed25519.PrivateKey, error) {
	if config.Inside(backupDir, path) {
		return nil, fmt.Errorf("signing key %s is inside backup.dir %s: whoever can write backups could read it and forge them; set backup.signing_key to a path outside it", path, backupDir)
	}
	k, err := readKey(path)
	if errors.Is(err, os.ErrNotExist) {
		k, err = createKey(path)
		if errors.Is(err, os.ErrExist) { // another lifeboat made it first
			k, err = readKey(path)
		}
	}
	return k, err
}

func readKey(path string) (ed25519.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w; fix the path or set backup.signing_key", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("signing key %s is not a regular file: remove it to make a new key, or fix backup.signing_key", path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("signing key %s can be read or written by group or others (mode %04o): run chmod 600 %s", path, perm, path)
	}
	// A key someone else owns may be one they planted and know.
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != os.Geteuid() {
		return nil, fmt.Errorf("signing key %s belongs to uid %d, not to this user (uid %d): whoever owns it could forge backups; run chown %d %s if it is this host's key", path, sys.Uid, os.Geteuid(), os.Geteuid(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != pemType {
		return nil, fmt.Errorf("signing key %s is not a PEM %q block: restore the host's key file, or move it away to make a new key (backups it signed are then foreign)", path, pemType)
	}
	pk, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	key, ok := pk.(ed25519.PrivateKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("signing key %s is not an ed25519 private key: restore the host's key file, or move it away to make a new key", path)
	}
	return key, nil
}

// createKey writes a new key beside path and links it into place, so that
// two processes making it at once end up with one key (os.ErrExist for the
// loser) and a reader never sees half a key.
func createKey(path string) (ed25519.PrivateKey, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("signing key %s: create its directory: %w", path, err)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pem.Encode(&buf, &pem.Block{Type: pemType, Bytes: der}); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*"+safefile.PartialSuffix) // mode 0600
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w; make the directory writable or set backup.signing_key", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(buf.Bytes())
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	return key, safefile.SyncDir(dir)
}

// signingStatus publishes this host's public key in st and warns about a
// key that cannot be used and about lifeboat backups listed as foreign
// because of their signature.
func (e *Engine) signingStatus(st *Status, entries []catalog.Entry) {
	st.SigningKeyFile = e.SigningKeyPath()
	pub, err := e.PublicKey()
	if err != nil {
		st.Warnings = append(st.Warnings, "backups cannot be signed: "+err.Error())
	} else {
		st.SigningKey = pub
	}
	n := 0
	for _, en := range entries {
		if en.Ours && en.State == catalog.StateForeign {
			n++
		}
	}
	if n > 0 {
		st.Warnings = append(st.Warnings, fmt.Sprintf("%d backup(s) with lifeboat names are not signed by this host (or a trusted key) and are handled as foreign files: if another host made them, add its key (its `lifeboat status`) to backup.trusted_keys", n))
	}
}

// signedJSON signs any manifest value (a project backup's manifest, say)
// with this host's key and returns the JSON to write. Pair: verifySigned.
func (e *Engine) signedJSON(v catalog.Signable) ([]byte, error) {
	k, err := e.signingKey()
	if err != nil {
		return nil, err
	}
	return catalog.MarshalSigned(v, k)
}

// verifySigned checks manifest bytes written by signedJSON against this
// host's key and backup.trusted_keys, returning the signer. Every failure
// wraps ErrUntrusted: treat the file as foreign.
func (e *Engine) verifySigned(b []byte) (string, error) {
	t, terr := e.trust()
	signer, err := t.Verify(b)
	if err != nil && terr != nil {
		err = fmt.Errorf("%w (and this host's key is unusable: %v)", err, terr)
	}
	return signer, err
}
