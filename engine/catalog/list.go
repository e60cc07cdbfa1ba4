package catalog

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// Entry is one backup file in the directory with the state its manifest
// gives it. Listing never opens the backup file itself.
type Entry struct {
	Name      string
	Path      string
	Size      int64
	ModTime   time.Time
	CreatedAt time.Time // manifest created_at, else the name's time, else mtime
	CreatedBy string
	State     State
	Ours      bool      // a lifeboat backup name (backup_YYYY-MM-DD_HH-MM-SS.sql*)
	Manifest  *Manifest // nil when missing, unreadable or untrusted
	Problem   string    // why the state is incomplete, corrupt or foreign
	Signer    string    // the trusted key that signed the manifest ("" when unchecked)
}

// ManifestName is the manifest file name for a backup file name.
func ManifestName(name string) string { return name + ManifestSuffix }

// List is ListTrusted without signature checks: every manifest that
// parses is taken as lifeboat's own. The engine lists through ListTrusted.
func List(dir string, loc *time.Location) ([]Entry, error) { return ListTrusted(dir, loc, nil) }

// ListTrusted reads dir and returns its backups newest first. It reads
// manifests only; a malformed manifest makes its backup incomplete, never
// an error. With trust, a manifest that is unsigned or not signed by a
// trusted key makes its backup foreign. A missing directory is empty.
func ListTrusted(dir string, loc *time.Location, trust *Trust) ([]Entry, error) {
	des, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	if loc == nil {
		loc = time.Local
	}
	have := make(map[string]bool, len(des))
	for _, de := range des {
		have[de.Name()] = true
	}
	out := make([]Entry, 0, len(des)/2+1)
	for _, de := range des {
		name := de.Name()
		if !listable(name, de) {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue // removed while we listed
		}
		e := Entry{Name: name, Path: filepath.Join(dir, name), Size: info.Size(), ModTime: info.ModTime()}
		classify(&e, dir, have[ManifestName(name)], loc, trust)
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// listable keeps regular, visible SQL files; it drops partial files,
// manifests, the audit log, the lock, directories and symlinks.
func listable(name string, de fs.DirEntry) bool {
	if !de.Type().IsRegular() || strings.HasPrefix(name, ".") {
		return false
	}
	return IsSQLName(name)
}

// IsOurs reports whether name is a lifeboat full-backup name.
func IsOurs(name string, loc *time.Location) bool {
	_, ok := ParseBackupTime(name, loc)
	if !ok {
		return false
	}
	rest := strings.TrimSuffix(strings.TrimPrefix(name, "backup_")[len(TimeLayout):], AgeSuffix)
	return rest == ".sql" || rest == ".sql.gz" || rest == ".sql.zst"
}

func classify(e *Entry, dir string, hasManifest bool, loc *time.Location, trust *Trust) {
	e.CreatedAt = e.ModTime
	if !IsOurs(e.Name, loc) {
		e.State = StateForeign
		return
	}
	e.Ours = true
	if t, ok := ParseBackupTime(e.Name, loc); ok {
		e.CreatedAt = t
	}
	if !hasManifest {
		e.State, e.Problem = StateIncomplete, "no manifest: the backup did not finish"
		return
	}
	m, signer, err := ReadTrustedManifest(dir, e.Name, trust)
	if errors.Is(err, ErrUntrusted) {
		e.State, e.Problem = StateForeign, err.Error()
		return
	}
	if err != nil {
		e.State, e.Problem = StateIncomplete, err.Error()
		return
	}
	e.Manifest, e.Signer = m, signer
	if !m.CreatedAt.IsZero() {
		e.CreatedAt = m.CreatedAt
	}
	e.CreatedBy = m.CreatedBy
	e.State = stateOf(m, e.Size)
	if e.State == StateCorrupt {
		e.Problem = problemOf(m, e.Size)
	}
}

func stateOf(m *Manifest, size int64) State {
	switch {
	case m.Size != size:
		return StateCorrupt
	case m.Verify != nil && !m.Verify.OK:
		return StateCorrupt
	case m.Verify != nil && m.Verify.OK:
		return StateVerified
	}
	return StateComplete
}

func problemOf(m *Manifest, size int64) string {
	if m.Size != size {
		return fmt.Sprintf("size %d bytes, manifest says %d", size, m.Size)
	}
	if m.Verify != nil && m.Verify.Detail != "" {
		return "verify failed: " + m.Verify.Detail
	}
	return "verify failed"
}

// ReadManifest reads and checks the manifest of backup name in dir (see
// ParseManifest).
func ReadManifest(dir, name string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName(name)))
	if err != nil {
		return nil, fmt.Errorf("manifest of %s: %w", name, err)
	}
	return ParseManifest(name, b)
}

// ReadTrustedManifest is ReadManifest that also checks the signature
// against trust (nil: unchecked) and returns the signer's key. A manifest
// that parses but is not signed by a trusted key is an error wrapping
// ErrUntrusted: its backup is to be treated as a foreign file.
func ReadTrustedManifest(dir, name string, trust *Trust) (*Manifest, string, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName(name)))
	if err != nil {
		return nil, "", fmt.Errorf("manifest of %s: %w", name, err)
	}
	m, err := ParseManifest(name, b)
	if err != nil || trust == nil {
		return m, "", err
	}
	signer, err := trust.Verify(b)
	if err != nil {
		return nil, "", fmt.Errorf("manifest of %s: %w", name, err)
	}
	return m, signer, nil
}

// WriteSignedManifest signs m with key and rewrites its manifest in dir
// atomically.
func WriteSignedManifest(dir string, m *Manifest, key ed25519.PrivateKey) error {
	b, err := MarshalSigned(m, key)
	if err != nil {
		return err
	}
	return safefile.WriteFile(dir, ManifestName(m.Filename), b)
}

// WriteManifest rewrites the manifest of m.Filename in dir atomically,
// unsigned: the engine writes through WriteSignedManifest.
func WriteManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return safefile.WriteFile(dir, ManifestName(m.Filename), append(b, '\n'))
}
