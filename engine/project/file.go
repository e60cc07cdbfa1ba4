package project

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// TimeLayout is the timestamp inside project backup names.
const TimeLayout = "2006-01-02_15-04-05"

// Dir is a project's backup directory: <backupDir>/projects/<id>.
func Dir(backupDir, id string) (string, error) {
	if err := CheckID(id); err != nil {
		return "", err
	}
	return filepath.Join(backupDir, "projects", id), nil
}

// FileName is the backup file name for project id taken at t.
func FileName(id string, t time.Time) string {
	return "project_" + id + "_backup_" + t.Format(TimeLayout) + ".json"
}

// ParseName reads the time out of a backup name of project id; ok is
// false for any other file.
func ParseName(id, name string, loc *time.Location) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, "project_"+id+"_backup_")
	if !ok {
		return time.Time{}, false
	}
	stamp, ok := strings.CutSuffix(rest, ".json")
	if !ok || len(stamp) != len(TimeLayout) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(TimeLayout, stamp, loc)
	return t, err == nil
}

// ReadMeta reads only the metadata of a backup file (it comes first).
func ReadMeta(path string) (Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	var meta Meta
	err = walkTop(dec, func(key string) (bool, error) {
		if key != "metadata" {
			var skip json.RawMessage
			return false, dec.Decode(&skip)
		}
		return true, dec.Decode(&meta)
	})
	if err != nil {
		return Meta{}, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	if meta.BackupVersion == "" {
		return Meta{}, fmt.Errorf("read %s: no metadata: not a lifeboat project backup", filepath.Base(path))
	}
	return meta, nil
}

// walkTop calls fn for each key of the top-level object, with the decoder
// positioned at its value; fn returns stop=true to end early.
func walkTop(dec *json.Decoder, fn func(key string) (stop bool, err error)) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("not a JSON object (%v)", err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		stop, err := fn(key)
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// Backup is a whole backup file in memory, values decoded to the bytes
// the server gave (see codec.go).
type Backup struct {
	Meta Meta
	Rows map[string][][]any // per table, values in Meta.Tables[t].Columns order
}

// ReadBackup reads and checks a whole backup file.
func ReadBackup(path string) (*Backup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := decodeBackup(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return b, nil
}

func decodeBackup(r io.Reader) (*Backup, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	b := &Backup{Rows: map[string][][]any{}}
	sawMeta := false
	err := walkTop(dec, func(key string) (bool, error) {
		switch key {
		case "metadata":
			sawMeta = true
			return false, dec.Decode(&b.Meta)
		case "data":
			if !sawMeta {
				return false, errors.New(`"metadata" must come before "data"`)
			}
			return false, b.decodeData(dec)
		}
		var skip json.RawMessage
		return false, dec.Decode(&skip)
	})
	if err != nil {
		return nil, err
	}
	if !sawMeta || b.Meta.BackupVersion == "" {
		return nil, errors.New("no metadata: not a lifeboat project backup")
	}
	for t, tm := range b.Meta.Tables {
		if int64(len(b.Rows[t])) != tm.Rows {
			return nil, fmt.Errorf("table %q: metadata says %d rows, file has %d: the file is damaged", t, tm.Rows, len(b.Rows[t]))
		}
	}
	return b, nil
}

func (b *Backup) decodeData(dec *json.Decoder) error {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf(`"data" is not an object (%v)`, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		t, _ := tok.(string)
		tm, ok := b.Meta.Tables[t]
		if !ok {
			return fmt.Errorf("table %q has rows but no metadata", t)
		}
		rows, err := decodeRows(dec, t, tm.Columns)
		if err != nil {
			return err
		}
		b.Rows[t] = rows
	}
	_, err := dec.Token()
	return err
}

func decodeRows(dec *json.Decoder, t string, cols []Column) ([][]any, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, fmt.Errorf("table %q: rows are not an array (%v)", t, err)
	}
	idx := map[string]int{}
	for i, c := range cols {
		idx[c.Name] = i
	}
	var out [][]any
	for dec.More() {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return nil, fmt.Errorf("table %q row %d: %w", t, len(out)+1, err)
		}
		if len(obj) != len(cols) {
			return nil, fmt.Errorf("table %q row %d: %d values for %d columns", t, len(out)+1, len(obj), len(cols))
		}
		row := make([]any, len(cols))
		for k, v := range obj {
			i, ok := idx[k]
			if !ok {
				return nil, fmt.Errorf("table %q row %d: unknown column %q", t, len(out)+1, k)
			}
			val, err := decodeValue(&cols[i], v)
			if err != nil {
				return nil, fmt.Errorf("table %q row %d: %w", t, len(out)+1, err)
			}
			row[i] = val
		}
		out = append(out, row)
	}
	_, err := dec.Token()
	return out, err
}

// FileInfo is one backup file of a project.
type FileInfo struct {
	Name      string
	Path      string
	Size      int64
	Taken     time.Time // from the name
	Modified  time.Time
	Meta      Meta
	MetaError error // the file's metadata could not be read
	Manifest  *Manifest
	State     State
	Problem   error // why the state is not complete (nil when it is)
}

// State is how a project backup stands, as in list for full backups.
type State string

const (
	StateComplete   State = "complete"   // manifest present, size matches
	StateIncomplete State = "incomplete" // no manifest
	StateCorrupt    State = "corrupt"    // manifest unreadable, or another size
)

// classify reads the manifest and sets the state; the sha256 is checked
// by verify and restore, not by listing.
func (fi *FileInfo) classify(dir string, seal Seal) {
	m, err := ReadManifest(dir, fi.Name, seal)
	switch {
	case errors.Is(err, ErrNoManifest):
		fi.State, fi.Problem = StateIncomplete, err
	case err != nil:
		fi.State, fi.Problem = StateCorrupt, err
	case m.Size != fi.Size:
		fi.State, fi.Problem = StateCorrupt, fmt.Errorf("project backup %s: %d bytes, the manifest says %d: %w", fi.Name, fi.Size, m.Size, ErrDamaged)
	default:
		fi.State = StateComplete
	}
	fi.Manifest = m
}

// ListFiles lists project id's backups in dir, newest first.
func ListFiles(dir, id string, loc *time.Location, seal Seal) ([]FileInfo, error) {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	var out []FileInfo
	for _, e := range ents {
		t, ok := ParseName(id, e.Name(), loc)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		fi := FileInfo{Name: e.Name(), Path: filepath.Join(dir, e.Name()), Taken: t}
		if st, err := e.Info(); err == nil {
			fi.Size, fi.Modified = st.Size(), st.ModTime()
		}
		fi.Meta, fi.MetaError = ReadMeta(fi.Path)
		fi.classify(dir, seal)
		out = append(out, fi)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name > out[j].Name })
	return out, nil
}

// Prune removes all but the newest keep complete backups of project id,
// with their manifests. Incomplete and corrupt files do not count and are
// left for the user to see.
func Prune(dir, id string, keep int, loc *time.Location, seal Seal) ([]string, error) {
	if keep <= 0 {
		return nil, nil
	}
	files, err := ListFiles(dir, id, loc, seal)
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
		if err := Remove(dir, f.Name); err != nil {
			return gone, fmt.Errorf("prune %w", err)
		}
		gone = append(gone, f.Name)
	}
	return gone, nil
}

// Remove deletes backup name and its manifest from dir. The backup goes
// first: a crash in between leaves an orphan manifest, which listing
// ignores, never a backup that looks incomplete.
func Remove(dir, name string) error {
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.Remove(filepath.Join(dir, ManifestName(name))); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("manifest of %s: %w", name, err)
	}
	return safefile.SyncDir(dir)
}
