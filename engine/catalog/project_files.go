package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/project"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// Project backups live in <backupDir>/projects/<id>, one JSON file each
// with its manifest beside it. Their names, listing, retention and removal
// are here, beside those of full backups; package project reads and writes
// what is inside the files.

// ProjectDir is a project's backup directory: <backupDir>/projects/<id>.
func ProjectDir(backupDir, id string) (string, error) {
	if err := project.CheckID(id); err != nil {
		return "", err
	}
	return filepath.Join(backupDir, "projects", id), nil
}

// ProjectName is the plain (uncompressed) backup file name for project
// id taken at t; ProjectNameAs names the compressed and encrypted ones.
func ProjectName(id string, t time.Time) string { return ProjectNameAs(id, t, "none", false) }

// ProjectNameAs is the backup file name for project id taken at t:
// .json, .json.gz or .json.zst as compression says, then .age when the
// file is encrypted.
func ProjectNameAs(id string, t time.Time, compression string, encrypted bool) string {
	name := "project_" + id + "_backup_" + t.Format(TimeLayout) + ProjectExtension(compression)
	if encrypted {
		name += AgeSuffix
	}
	return name
}

// ProjectExtension is a project backup's extension for a compression.
func ProjectExtension(compression string) string {
	switch compression {
	case "none":
		return ".json"
	case "zstd":
		return ".json.zst"
	}
	return ".json.gz"
}

// projectExtensions are every extension a project backup can have, the
// old plain .json first.
var projectExtensions = []string{".json", ".json.gz", ".json.zst", ".json.age", ".json.gz.age", ".json.zst.age"}

// ProjectNamesAt are every name a backup of project id taken at t could
// have, so that a second already used by one kind is not used again.
func ProjectNamesAt(id string, t time.Time) []string {
	out := make([]string, len(projectExtensions))
	for i, ext := range projectExtensions {
		out[i] = "project_" + id + "_backup_" + t.Format(TimeLayout) + ext
	}
	return out
}

// ParseProjectName reads the time out of a backup name of project id; ok
// is false for any other file (a manifest, X.json.gz.json, among them).
func ParseProjectName(id, name string, loc *time.Location) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, "project_"+id+"_backup_")
	if !ok || len(rest) < len(TimeLayout) {
		return time.Time{}, false
	}
	stamp, ext := rest[:len(TimeLayout)], rest[len(TimeLayout):]
	known := false
	for _, e := range projectExtensions {
		known = known || ext == e
	}
	if !known {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(TimeLayout, stamp, loc)
	return t, err == nil
}

// ProjectFile is one backup file of a project.
type ProjectFile struct {
	Name      string
	Path      string
	Size      int64
	Taken     time.Time // from the name
	Modified  time.Time
	Meta      project.Meta
	MetaError error // the file's metadata could not be read
	Manifest  *project.Manifest
	State     State // complete, incomplete or corrupt
	Problem   error // why the state is not complete (nil when it is)
}

// classify reads the manifest and sets the state; the sha256 is checked
// by verify and restore, not by listing.
func (fi *ProjectFile) classify(dir string, seal project.Seal) {
	m, err := project.ReadManifest(dir, fi.Name, seal)
	switch {
	case errors.Is(err, project.ErrNoManifest):
		fi.State, fi.Problem = StateIncomplete, err
	case err != nil:
		fi.State, fi.Problem = StateCorrupt, err
	case m.Size != fi.Size:
		fi.State, fi.Problem = StateCorrupt, fmt.Errorf("project backup %s: %d bytes, the manifest says %d: %w", fi.Name, fi.Size, m.Size, project.ErrDamaged)
	default:
		fi.State = StateComplete
	}
	fi.Manifest = m
}

// ListProject lists project id's backups in dir, newest first. open reads
// a file's metadata (decompressed); an encrypted file is listed from its
// manifest, so listing never needs the identity.
func ListProject(dir, id string, loc *time.Location, seal project.Seal, open project.Open) ([]ProjectFile, error) {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var out []ProjectFile
	for _, e := range ents {
		t, ok := ParseProjectName(id, e.Name(), loc)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		fi := ProjectFile{Name: e.Name(), Path: filepath.Join(dir, e.Name()), Taken: t}
		if st, err := e.Info(); err == nil {
			fi.Size, fi.Modified = st.Size(), st.ModTime()
		}
		fi.classify(dir, seal)
		if Encrypted(fi.Name) && fi.Manifest != nil {
			fi.Meta = fi.Manifest.Meta()
		} else {
			fi.Meta, fi.MetaError = project.ReadMeta(fi.Path, open)
		}
		out = append(out, fi)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

// PruneProject removes all but the newest keep complete backups of
// project id, with their manifests. Incomplete and corrupt files do not
// count and are left for the user to see.
func PruneProject(dir, id string, keep int, loc *time.Location, seal project.Seal, open project.Open) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	files, err := ListProject(dir, id, loc, seal, open)
	if err != nil {
		return nil, err
	}
	var gone []string
	kept := 0
	for _, f := range files {
		if f.State != StateComplete {
			continue
		}
		if kept++; kept <= keep {
			continue
		}
		if err := RemoveProject(dir, f.Name); err != nil {
			return gone, fmt.Errorf("prune %w", err)
		}
		gone = append(gone, f.Name)
	}
	return gone, nil
}

// RemoveProject deletes project backup name and its manifest from dir.
// The backup goes first: a crash in between leaves an orphan manifest,
// which listing ignores, never a backup that looks incomplete.
func RemoveProject(dir, name string) error {
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.Remove(filepath.Join(dir, ManifestName(name))); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("manifest of %s: %w", name, err)
	}
	return safefile.SyncDir(dir)
}
