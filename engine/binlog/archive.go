package binlog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// DirName is the archive's folder inside backup.dir.
const DirName = "binlog"

// IndexSuffix names a finished file's index: binlog.000042.json.
const IndexSuffix = ".json"

// Index is the small JSON beside each finished archive file, written only
// after the file is whole.
type Index struct {
	File         string    `json:"file"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	FirstEvent   time.Time `json:"first_event"`
	LastEvent    time.Time `json:"last_event"`
	FirstGTID    string    `json:"first_gtid,omitempty"`
	LastGTID     string    `json:"last_gtid,omitempty"`
	Transactions int       `json:"transactions"`
	ArchivedAt   time.Time `json:"archived_at"`
}

// logName is a server binary log's name: base name, a dot, a number.
var logName = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]*\.([0-9]{6,})$`)

// ValidName reports whether name is a binary log file name (never a path).
func ValidName(name string) bool { return logName.MatchString(name) }

// Number is the sequence number of a log file name, -1 when it has none.
func Number(name string) int64 {
	m := logName.FindStringSubmatch(name)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// File is one log file in the archive.
type File struct {
	Name  string
	Path  string
	Size  int64     // on disk now
	MTime time.Time // of the file on disk
	Index *Index    // nil: not finished (the open file) or not indexed yet
	// Remote names the remote holding the file when the local archive
	// lacks it (Path is then ""); it is checked against its index when pulled.
	Remote string
}

// SortFiles puts files in log order.
func SortFiles(files []File) {
	sort.Slice(files, func(i, j int) bool { return Number(files[i].Name) < Number(files[j].Name) })
}

// Files lists the archive's log files in log order; dir is the archive
// folder (<backup.dir>/binlog). A missing folder is an empty archive.
func Files(dir string) ([]File, error) {
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("binlog archive %s: %w", dir, err)
	}
	var out []File
	for _, de := range ents {
		name := de.Name()
		if !ValidName(name) || !de.Type().IsRegular() {
			continue
		}
		st, err := de.Info()
		if err != nil {
			continue
		}
		f := File{Name: name, Path: filepath.Join(dir, name), Size: st.Size(), MTime: st.ModTime()}
		if b, err := os.ReadFile(f.Path + IndexSuffix); err == nil {
			var ix Index
			if json.Unmarshal(b, &ix) == nil && ix.File == name {
				f.Index = &ix
			}
		}
		out = append(out, f)
	}
	SortFiles(out)
	return out, nil
}

// Damaged says why an indexed file does not match its index ("" when it
// does). With hash, the sha256 is checked too, else only the size.
func (f File) Damaged(hash bool) string {
	if f.Index == nil || f.Remote != "" {
		return ""
	}
	if f.Size != f.Index.Size {
		return fmt.Sprintf("%s is %d bytes, its index says %d", f.Name, f.Size, f.Index.Size)
	}
	if hash {
		sum, err := fileSHA(f.Path)
		if err != nil {
			return fmt.Sprintf("%s: %v", f.Name, err)
		}
		if sum != f.Index.SHA256 {
			return fmt.Sprintf("%s: sha256 %s, its index says %s", f.Name, sum, f.Index.SHA256)
		}
	}
	return ""
}

func fileSHA(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeIndex reads a whole file and writes its index beside it.
func writeIndex(ctx context.Context, dir, name string) (Index, error) {
	path := filepath.Join(dir, name)
	ix := Index{File: name, ArchivedAt: time.Now().UTC()}
	sp, err := readFile(ctx, path, func(t Transaction) error {
		if ix.FirstGTID == "" {
			ix.FirstGTID = t.GTID
		}
		ix.LastGTID = t.GTID
		ix.Transactions++
		return nil
	})
	if err != nil {
		return ix, err
	}
	ix.FirstEvent, ix.LastEvent = sp.first, sp.last
	st, err := os.Stat(path)
	if err != nil {
		return ix, err
	}
	ix.Size = st.Size()
	if ix.SHA256, err = fileSHA(path); err != nil {
		return ix, err
	}
	b, _ := json.MarshalIndent(ix, "", "  ")
	return ix, safefile.WriteFile(dir, name+IndexSuffix, append(b, '\n'))
}
