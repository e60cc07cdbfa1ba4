package catalog

// Signed manifests. A sha256 beside the file protects against accidents,
// not against someone who can write to backup.dir; an ed25519 signature by
// a key only the backup host holds does. Every manifest lifeboat writes
// (full backups and project backups) is signed here, in one way:
//
//   - The signature covers the canonical encoding of the manifest's JSON
//     without its top-level "signature" member (see Canonical).
//   - It is stored in that member: "signature": {"key": "ed25519:...",
//     "sig": "<base64>"}.
//   - A reader verifies the bytes of the file as they are, so fields this
//     build does not know are covered too.

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/lifeboat-dev/lifeboat/config"
)

// SignatureField is the manifest member that holds the signature.
const SignatureField = "signature"

// signContext is prefixed to what is signed, so that a signature over a
// manifest can never be taken for a signature over anything else.
const signContext = "lifeboat manifest signature v1\n"

// Signature is a manifest's signature: the signer's public key in text
// form and the ed25519 signature in standard base64.
type Signature struct {
	Key string `json:"key"`
	Sig string `json:"sig"`
}

// ErrUntrusted is matched by every reason a manifest is not lifeboat's
// own: unsigned, signed by a key not trusted here, or a signature that
// does not match its contents.
var ErrUntrusted = errors.New("not signed by this host (or a trusted key)")

// Signable is a manifest value that carries its own signature member.
type Signable interface {
	SetSignature(*Signature)
}

// SetSignature sets the manifest's signature member.
func (m *Manifest) SetSignature(s *Signature) { m.Signature = s }

// Canonical is the byte form a signature covers: the JSON object b with
// its top-level "signature" member removed, re-encoded by encoding/json
// with object keys sorted, no insignificant whitespace and numbers exactly
// as written, after a fixed context line. Two encodings of the same
// manifest (indented or not, any key order) have the same canonical form.
func Canonical(b []byte) ([]byte, error) {
	obj, err := decodeObject(b)
	if err != nil {
		return nil, err
	}
	delete(obj, SignatureField)
	body, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return append([]byte(signContext), body...), nil
}

func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	if obj == nil {
		return nil, errors.New("not a JSON object: null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("not one JSON object: data after it")
	}
	return obj, nil
}

// Sign signs v (any JSON-encodable manifest) with key, ignoring a
// signature v may already carry.
func Sign(v any, key ed25519.PrivateKey) (Signature, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Signature{}, err
	}
	msg, err := Canonical(b)
	if err != nil {
		return Signature{}, err
	}
	pub, _ := key.Public().(ed25519.PublicKey)
	return Signature{Key: config.FormatPublicKey(pub), Sig: base64.StdEncoding.EncodeToString(ed25519.Sign(key, msg))}, nil
}

// MarshalSigned signs v, stores the signature in it, and returns the
// indented JSON to write, ending in a newline.
func MarshalSigned(v Signable, key ed25519.PrivateKey) ([]byte, error) {
	v.SetSignature(nil)
	sig, err := Sign(v, key)
	if err != nil {
		return nil, err
	}
	v.SetSignature(&sig)
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Trust is the set of public keys whose signatures make a manifest
// lifeboat's own: this host's key and backup.trusted_keys.
type Trust struct {
	own  string
	keys map[string]ed25519.PublicKey
}

// NewTrust trusts own (this host's key) and others.
func NewTrust(own ed25519.PublicKey, others ...ed25519.PublicKey) *Trust {
	t := &Trust{keys: map[string]ed25519.PublicKey{}}
	if own != nil {
		t.own = config.FormatPublicKey(own)
		t.keys[t.own] = own
	}
	for _, k := range others {
		t.keys[config.FormatPublicKey(k)] = k
	}
	return t
}

// Verify checks the signature of manifest bytes b and returns the
// signer's key text. Every failure wraps ErrUntrusted and says why.
func (t *Trust) Verify(b []byte) (string, error) {
	obj, err := decodeObject(b)
	if err != nil {
		return "", fmt.Errorf("%w: the manifest is %v", ErrUntrusted, err)
	}
	raw, ok := obj[SignatureField]
	if !ok || raw == nil {
		return "", fmt.Errorf("%w: the manifest is unsigned", ErrUntrusted)
	}
	var sig Signature
	if rb, err := json.Marshal(raw); err != nil || json.Unmarshal(rb, &sig) != nil {
		return "", fmt.Errorf("%w: its signature is malformed", ErrUntrusted)
	}
	pub, ok := t.keys[sig.Key]
	if !ok {
		if _, err := config.ParsePublicKey(sig.Key); err != nil {
			return "", fmt.Errorf("%w: its signature names no valid key", ErrUntrusted)
		}
		return "", fmt.Errorf("%w: it is signed by %s, which backup.trusted_keys does not list", ErrUntrusted, sig.Key)
	}
	s, err := base64.StdEncoding.Strict().DecodeString(sig.Sig)
	if err != nil || len(s) != ed25519.SignatureSize {
		return "", fmt.Errorf("%w: its signature is malformed", ErrUntrusted)
	}
	msg, err := Canonical(b)
	if err != nil {
		return "", fmt.Errorf("%w: the manifest is %v", ErrUntrusted, err)
	}
	if !ed25519.Verify(pub, msg, s) {
		return "", fmt.Errorf("%w: its signature does not match its contents: the manifest was changed after it was signed", ErrUntrusted)
	}
	return sig.Key, nil
}

// Own is this host's key in text form ("" when unknown).
func (t *Trust) Own() string { return t.own }
