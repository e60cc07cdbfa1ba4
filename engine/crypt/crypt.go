// Package crypt is lifeboat's thin layer over age (filippo.io/age): it
// loads identities with the same "no readable secrets" rule as the
// config, makes new identities, reads an age header without a key, and
// turns age's errors into messages that say what to do. It holds no
// cryptography of its own.
package crypt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// Magic starts every age file.
const Magic = "age-encryption.org/v1\n"

// ErrNoIdentity is wrapped when an encrypted file is read without an
// identity configured or present.
var ErrNoIdentity = errors.New("no age identity to open it")

// ErrWrongKey is wrapped when none of the identities opens a file.
var ErrWrongKey = errors.New("encrypted to other keys")

// ErrDamaged is wrapped when the encrypted bytes fail their authentication:
// a flipped byte, a cut file, or not an age file at all.
var ErrDamaged = errors.New("encrypted data damaged")

// LoadIdentities reads the age identity file at path. A file that group or
// others can read is refused with the chmod that fixes it; its content is
// never echoed in an error.
func LoadIdentities(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("encryption.identity_file %s does not exist: copy the age identity that matches the backups' recipients there (mode 0600): %w", path, ErrNoIdentity)
		}
		return nil, fmt.Errorf("encryption.identity_file %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("encryption.identity_file %s: %w", path, err)
	}
	if perm := st.Mode().Perm(); perm&0o044 != 0 {
		who := "others"
		if perm&0o004 == 0 {
			who = "group"
		}
		return nil, fmt.Errorf("encryption.identity_file %s is readable by %s (mode %04o): run chmod 600 %s", path, who, perm, path)
	}
	ids, err := age.ParseIdentities(f)
	if err != nil {
		// age's parse errors never include key material.
		return nil, fmt.Errorf("encryption.identity_file %s is not an age identity file (%v): it must hold AGE-SECRET-KEY-… lines, as `lifeboat key new` writes", path, err)
	}
	return ids, nil
}

// NewIdentity writes a new identity to path, mode 0600, and returns its
// recipient (public key). It never overwrites a file. pq makes a
// post-quantum hybrid identity (age 1.3; older age CLIs cannot read it).
func NewIdentity(path string, pq bool) (string, error) {
	var secret, recipient string
	if pq {
		id, err := age.GenerateHybridIdentity()
		if err != nil {
			return "", err
		}
		secret, recipient = id.String(), id.Recipient().String()
	} else {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			return "", err
		}
		secret, recipient = id.String(), id.Recipient().String()
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			return "", fmt.Errorf("%s already exists: lifeboat never overwrites a key; choose another file name", path)
		}
		return "", err
	}
	body := "# created: " + time.Now().Format(time.RFC3339) + "\n# public key: " + recipient + "\n" + secret + "\n"
	_, err = f.WriteString(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	if err := safefile.SyncDir(dirOf(path)); err != nil {
		return "", err
	}
	return recipient, nil
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		return path[:i]
	} else if i == 0 {
		return "/"
	}
	return "."
}

// Header is what an age header says without a key.
type Header struct {
	Stanzas []string // recipient types, one per recipient ("X25519", "mlkem768x25519")
}

// ReadHeader parses the age header at the start of r, checking its form
// (not its MAC: that needs the key).
func ReadHeader(r io.Reader) (Header, error) {
	raw, err := age.ExtractHeader(r)
	if err != nil {
		return Header{}, fmt.Errorf("not an age file, or its header is damaged: %w", ErrDamaged)
	}
	var h Header
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "-> "); ok {
			typ, _, _ := strings.Cut(rest, " ")
			h.Stanzas = append(h.Stanzas, typ)
		}
	}
	return h, nil
}

// Decrypt opens r with ids. Errors say which of the three failures it is:
// no identity, the wrong identity, or damaged data. Read errors of the
// returned reader wrap ErrDamaged.
func Decrypt(r io.Reader, ids []age.Identity, identityFile string) (io.Reader, error) {
	if len(ids) == 0 {
		if identityFile == "" {
			return nil, fmt.Errorf("set encryption.identity_file to the age identity that opens it: %w", ErrNoIdentity)
		}
		return nil, fmt.Errorf("it needs the identity in %s: %w", identityFile, ErrNoIdentity)
	}
	d, err := age.Decrypt(r, ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, fmt.Errorf("the identity in %s does not open it: it was %w; use the identity file whose public key was in encryption.recipients when it was written", identityFile, ErrWrongKey)
		}
		return nil, fmt.Errorf("not an age file, or its header is damaged (%v): %w", err, ErrDamaged)
	}
	return &damageReader{r: d}, nil
}

// damageReader marks the payload's read errors as damage.
type damageReader struct{ r io.Reader }

func (d *damageReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = &DamageError{err: err}
	}
	return n, err
}

// DamageError is a read error of the encrypted data: the file was cut, a
// byte was flipped, or it was tampered with. It wraps ErrDamaged.
type DamageError struct{ err error }

func (e *DamageError) Error() string {
	return "encrypted data damaged: a byte was changed or the file was cut short (" + e.err.Error() + ")"
}

func (e *DamageError) Unwrap() []error { return []error{ErrDamaged, e.err} }

// Opens reports whether ids open the age file at path: it reads the
// header and unwraps the file key, never the data.
func Opens(path string, ids []age.Identity) bool {
	if len(ids) == 0 {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = age.Decrypt(bufio.NewReader(f), ids...)
	return err == nil
}
