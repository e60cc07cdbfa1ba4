package project

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// A project backup is only real once its manifest, <file>.json beside it,
// is written: last, atomically, mode 0600, as for full backups. The
// manifest carries the file's size and sha256, so that a changed digit is
// caught before anything changes. Writing and reading it happen here and
// nowhere else, so signing (issue 11 item 6) hooks into WriteManifest and
// ReadManifest alone.

// ManifestVersion is the project manifest format this build writes.
const ManifestVersion = 1

// ManifestKind tells a project manifest from a full backup's.
const ManifestKind = "project"

// ManifestSuffix is appended to a backup's file name to name its manifest.
const ManifestSuffix = ".json"

// ErrNoManifest is wrapped when a project backup has no manifest.
var ErrNoManifest = errors.New("no manifest: the backup is incomplete (or was written before lifeboat checked project backups) and cannot be proven whole")

// ErrDamaged is wrapped when a project backup does not match its manifest.
var ErrDamaged = errors.New("the file changed after it was written")

// Manifest describes one project backup file.
type Manifest struct {
	FormatVersion int              `json:"format_version"`
	Kind          string           `json:"kind"` // always "project"
	ToolVersion   string           `json:"tool_version"`
	ProjectID     ID               `json:"project_id"`
	ProjectName   string           `json:"project_name"`
	Database      string           `json:"database"`
	Filename      string           `json:"filename"`
	CreatedAt     string           `json:"created_at"` // RFC 3339 with offset, as in the metadata
	CreatedBy     string           `json:"created_by"`
	CreatedByName string           `json:"created_by_name,omitempty"`
	BackupVersion string           `json:"backup_version,omitempty"`
	Reason        string           `json:"reason,omitempty"` // "safety" before a restore
	Tables        map[string]int64 `json:"tables"`           // rows per table
	Rows          int64            `json:"rows"`
	SHA256        string           `json:"sha256"`
	Size          int64            `json:"size"`
	// The file is the JSON compressed (gzip, zstd; "" or none: plain)
	// and, when Encrypted, encrypted with age to Recipients (public keys).
	// SHA256 and Size are of the bytes on disk.
	Compression string   `json:"compression,omitempty"`
	Encrypted   bool     `json:"encrypted,omitempty"`
	Recipients  []string `json:"recipients,omitempty"`
	// Signature is kept as it was read; the signing code fills it over
	// the manifest's bytes without it.
	Signature json.RawMessage `json:"signature,omitempty"`
}

// ManifestName is the manifest file name of backup name.
func ManifestName(name string) string { return name + ManifestSuffix }

// NewManifest describes a written backup file.
func NewManifest(meta Meta, filename, sum string, size int64) *Manifest {
	m := &Manifest{FormatVersion: ManifestVersion, Kind: ManifestKind, ToolVersion: meta.ToolVersion,
		ProjectID: meta.ProjectID, ProjectName: meta.ProjectName, Database: meta.Database, Filename: filename,
		CreatedAt: meta.CreatedAt, CreatedBy: meta.CreatedBy, CreatedByName: meta.CreatedByName,
		BackupVersion: meta.BackupVersion, Reason: meta.Reason, Tables: map[string]int64{},
		SHA256: sum, Size: size}
	for t, tm := range meta.Tables {
		m.Tables[t] = tm.Rows
		m.Rows += tm.Rows
	}
	return m
}

// Meta is what the manifest knows of the file's metadata (no columns):
// enough to list a backup whose file cannot be read, such as an encrypted
// one without its identity.
func (m *Manifest) Meta() Meta {
	meta := Meta{ProjectID: m.ProjectID, ProjectName: m.ProjectName, CreatedAt: m.CreatedAt, CreatedBy: m.CreatedBy,
		CreatedByName: m.CreatedByName, BackupVersion: m.BackupVersion, ToolVersion: m.ToolVersion, Reason: m.Reason,
		Database: m.Database, Tables: map[string]TableMeta{}}
	for t, n := range m.Tables {
		meta.Tables[t] = TableMeta{Rows: n}
	}
	return meta
}

// Seal signs a manifest as it is written and checks one as it is read:
// the engine's host key. A nil Seal leaves manifests unsigned and takes
// them as they are (this package's own tests).
type Seal interface {
	Sign(m *Manifest) ([]byte, error) // m as JSON, with its signature
	Check(b []byte) error             // nil when signed by this host or a trusted key
}

// WriteManifest writes m beside its backup in dir, atomically, 0600,
// signed by seal.
func WriteManifest(dir string, m *Manifest, seal Seal) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if seal != nil {
		b, err = seal.Sign(m)
	}
	if err != nil {
		return err
	}
	return safefile.WriteFile(dir, ManifestName(m.Filename), append(b, '\n'))
}

// ReadManifest reads and checks the manifest of backup name in dir: its
// signature (seal), then its fields. A missing one wraps ErrNoManifest.
func ReadManifest(dir, name string, seal Seal) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName(name)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("project backup %s: %w", name, ErrNoManifest)
	}
	if err != nil {
		return nil, fmt.Errorf("project backup %s: read its manifest: %w", name, err)
	}
	if seal != nil {
		if err := seal.Check(b); err != nil {
			return nil, fmt.Errorf("project backup %s: %w; do not restore it unless you know where it came from", name, err)
		}
	}
	return ParseManifest(name, b)
}

// ParseManifest decodes and checks the manifest of backup name. Malformed
// input is an error, never a panic.
func ParseManifest(name string, b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest of %s is not valid JSON: %v", name, err)
	}
	switch {
	case m.Kind != ManifestKind:
		return nil, fmt.Errorf("manifest of %s is not a project manifest (kind %q)", name, m.Kind)
	case m.FormatVersion < 1:
		return nil, fmt.Errorf("manifest of %s has no format_version", name)
	case m.FormatVersion > ManifestVersion:
		return nil, fmt.Errorf("manifest of %s has format %d, newer than this lifeboat understands (%d): upgrade lifeboat", name, m.FormatVersion, ManifestVersion)
	case m.Filename != name:
		return nil, fmt.Errorf("manifest of %s names another file (%q)", name, m.Filename)
	case len(m.SHA256) != 64 || strings.Trim(m.SHA256, "0123456789abcdef") != "":
		return nil, fmt.Errorf("manifest of %s has no valid sha256", name)
	case m.Size < 0:
		return nil, fmt.Errorf("manifest of %s has a negative size", name)
	}
	for t, n := range m.Tables {
		if n < 0 {
			return nil, fmt.Errorf("manifest of %s: table %q has a negative row count", name, t)
		}
	}
	return &m, nil
}

// Steps of ReadVerified, in order; a failure names its step (see Verify).
var verifySteps = []string{"manifest", "size", "sha256", "json", "rows"}

// stepError is a ReadVerified failure and the step it failed at.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func failAt(step string, format string, args ...any) error {
	return &stepError{step: step, err: fmt.Errorf(format, args...)}
}

// ReadVerified reads backup name of project id from dir and proves it
// whole before the caller changes anything: the manifest must exist and
// name project id, the file must have its size and sha256 (hashed in the
// same pass that decodes it, so what is checked is what is used), and the
// rows must match the manifest's counts. open turns the file's bytes into
// its JSON (decompressed, decrypted), streamed.
func ReadVerified(dir, name, id string, seal Seal, open Open) (*Backup, *Manifest, error) {
	m, err := ReadManifest(dir, name, seal)
	if err != nil {
		return nil, nil, &stepError{"manifest", err}
	}
	if string(m.ProjectID) != id {
		return nil, m, failAt("manifest", "project backup %s: its manifest is of project %s, not %s: %w", name, m.ProjectID, id, ErrRefused)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, m, failAt("size", "project backup %s: %w", name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, m, failAt("size", "project backup %s: %w", name, err)
	}
	if st.Size() != m.Size {
		return nil, m, failAt("size", "project backup %s: %d bytes, the manifest says %d: %w; restore another backup", name, st.Size(), m.Size, ErrDamaged)
	}
	h := sha256.New()
	tee := io.TeeReader(io.LimitReader(f, m.Size+1), h)
	b, derr := decodeFile(name, tee, open)
	if _, err := io.Copy(io.Discard, tee); err != nil {
		return nil, m, failAt("sha256", "project backup %s: %w", name, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != m.SHA256 {
		return nil, m, failAt("sha256", "project backup %s: sha256 %s, the manifest says %s: %w; restore another backup", name, sum, m.SHA256, ErrDamaged)
	}
	if derr != nil {
		return nil, m, failAt("json", "read %s: %w", name, derr)
	}
	if err := m.sameEncryption(name); err != nil {
		return nil, m, failAt("json", "project backup %s: %w", name, err)
	}
	if err := m.matches(b.Meta); err != nil {
		return nil, m, failAt("rows", "project backup %s: %w", name, err)
	}
	return b, m, nil
}

// decodeFile decodes the JSON that open finds in r, reading r to its end
// only as far as the decoder needs (the caller drains the rest).
func decodeFile(name string, r io.Reader, open Open) (*Backup, error) {
	jr, err := open.open(name, r)
	if err != nil {
		return nil, err
	}
	defer jr.Close()
	b, err := decodeBackup(bufio.NewReaderSize(jr, 256<<10))
	if err != nil {
		return nil, err
	}
	// The decompressor checks its checksum only at the end of its stream.
	if _, err := io.Copy(io.Discard, jr); err != nil {
		return nil, err
	}
	return b, nil
}

// sameEncryption refuses a manifest that says the file is encrypted when
// its name says it is not (or the other way round): the name decides how
// the file is read, so both must agree.
func (m *Manifest) sameEncryption(name string) error {
	if m.Encrypted != strings.HasSuffix(name, ".age") {
		return fmt.Errorf("its manifest says encrypted=%v, its name says otherwise: %w", m.Encrypted, ErrDamaged)
	}
	return nil
}

// matches checks the file's metadata against the manifest (decodeBackup
// has checked the rows against the metadata).
func (m *Manifest) matches(meta Meta) error {
	if meta.ProjectID != m.ProjectID {
		return fmt.Errorf("the file is of project %s, its manifest of %s: %w", meta.ProjectID, m.ProjectID, ErrDamaged)
	}
	if len(meta.Tables) != len(m.Tables) {
		return fmt.Errorf("the file has %d tables, its manifest %d: %w", len(meta.Tables), len(m.Tables), ErrDamaged)
	}
	for t, tm := range meta.Tables {
		if n, ok := m.Tables[t]; !ok || n != tm.Rows {
			return fmt.Errorf("table %q: the file has %d rows, its manifest %d: %w", t, tm.Rows, n, ErrDamaged)
		}
	}
	return nil
}
