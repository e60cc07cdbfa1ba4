// Package catalog owns the backup directory: file names, manifests, the
// directory lock, and the listing that turns files into backups with a
// state. It reads manifests, never the backup files themselves, to list.
package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// TimeLayout is the timestamp inside backup file names.
const TimeLayout = "2006-01-02_15-04-05"

// Extension returns the file extension for a compression setting.
func Extension(compression string) string {
	switch compression {
	case "zstd":
		return ".sql.zst"
	case "none":
		return ".sql"
	default:
		return ".sql.gz"
	}
}

// AgeSuffix ends the name of a file encrypted with age
// (backup_….sql.gz.age): the compressed stream, encrypted.
const AgeSuffix = ".age"

// Encrypted reports whether a file name says it is encrypted with age.
func Encrypted(name string) bool { return strings.HasSuffix(name, AgeSuffix) }

// CompressionOf infers the compression from a file name (an encrypted
// file's from the name under its .age).
func CompressionOf(name string) string {
	name = strings.TrimSuffix(name, AgeSuffix)
	switch {
	case strings.HasSuffix(name, ".gz"):
		return "gzip"
	case strings.HasSuffix(name, ".zst"):
		return "zstd"
	}
	return "none"
}

// BackupName is the file name for a full backup taken at t (add
// AgeSuffix when it is encrypted).
func BackupName(t time.Time, compression string) string {
	return "backup_" + t.Format(TimeLayout) + Extension(compression)
}

// ParseBackupTime reads the time out of a lifeboat backup name, in loc.
func ParseBackupTime(name string, loc *time.Location) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, "backup_")
	if !ok || len(rest) < len(TimeLayout) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(TimeLayout, rest[:len(TimeLayout)], loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// ErrBadName is wrapped by every refusal of a name.
var ErrBadName = errors.New("not a backup name")

// CheckName refuses anything but a plain file name: no separators, no
// "..", no NUL, nothing hidden, nothing absolute. It does not check that
// the file exists.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name: %w; use a file name from `lifeboat list`", ErrBadName)
	case strings.ContainsRune(name, 0):
		return fmt.Errorf("name contains a NUL byte: %w", ErrBadName)
	case strings.ContainsAny(name, `/\`), name == "..", name == ".", filepath.IsAbs(name):
		return fmt.Errorf("%q is a path: %w; use a file name from `lifeboat list`", name, ErrBadName)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("%q is a hidden file: %w", name, ErrBadName)
	case strings.HasSuffix(name, ".partial"):
		return fmt.Errorf("%q is a backup still being written: %w", name, ErrBadName)
	}
	return nil
}

// Resolve checks name and returns its path inside dir, refusing symlinks
// and anything that is not a regular file in dir itself.
func Resolve(dir, name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	p := filepath.Join(dir, name)
	st, err := os.Lstat(p)
	if err != nil {
		if os.IsNotExist(err) {
			return "", fmt.Errorf("no backup named %q in %s: %w; see `lifeboat list`", name, dir, os.ErrNotExist)
		}
		return "", err
	}
	if st.Mode()&os.ModeSymlink != 0 {
		return "", fmt.Errorf("%q is a symlink: %w; lifeboat only touches files it can see in %s", name, ErrBadName, dir)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%q is not a regular file: %w", name, ErrBadName)
	}
	return p, nil
}

// IsSQLName reports whether a file name looks like an SQL dump (ours or a
// foreign tool's): .sql, .sql.gz or .sql.zst, each perhaps with .age.
func IsSQLName(name string) bool {
	name = strings.TrimSuffix(name, AgeSuffix)
	return strings.HasSuffix(name, ".sql") || strings.HasSuffix(name, ".sql.gz") || strings.HasSuffix(name, ".sql.zst")
}
