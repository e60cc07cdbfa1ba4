package project

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzReadProjectBackup: whatever bytes sit in a project backup file,
// ReadMeta and ReadBackup give a clear error naming the file, or a backup
// whose rows agree with its metadata. Never a panic. The seed corpus in
// testdata/fuzz/FuzzReadProjectBackup holds a real small backup and
// damaged variants of it.
func FuzzReadProjectBackup(f *testing.F) {
	f.Add([]byte(`{"metadata": {"backup_version": "1.0", "project_id": "a-b", "tables": {}}, "data": {}}`))
	dir := f.TempDir()
	const name = "project_1_backup_2026-11-23_02-00-00.json"
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		meta, merr := ReadMeta(path, nil)
		if merr != nil && !strings.Contains(merr.Error(), name) {
			t.Errorf("ReadMeta error does not name the file: %v", merr)
		}
		if merr == nil && meta.BackupVersion == "" {
			t.Error("ReadMeta accepted a file without backup_version")
		}
		bk, err := ReadBackup(path)
		if err != nil {
			if bk != nil {
				t.Error("ReadBackup returned a backup with its error")
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("ReadBackup error does not name the file: %v", err)
			}
			return
		}
		if merr != nil {
			t.Errorf("ReadBackup accepted what ReadMeta refused: %v", merr)
		}
		if bk.Meta.BackupVersion == "" || bk.Meta.ProjectID != meta.ProjectID {
			t.Errorf("ReadBackup and ReadMeta disagree: %q vs %q", bk.Meta.ProjectID, meta.ProjectID)
		}
		for tn, tm := range bk.Meta.Tables {
			rows := bk.Rows[tn]
			if int64(len(rows)) != tm.Rows {
				t.Errorf("table %q: %d rows, metadata says %d", tn, len(rows), tm.Rows)
			}
			for _, r := range rows {
				if len(r) != len(tm.Columns) {
					t.Errorf("table %q: row of %d values for %d columns", tn, len(r), len(tm.Columns))
				}
			}
		}
		for tn := range bk.Rows {
			if _, ok := bk.Meta.Tables[tn]; !ok {
				t.Errorf("rows for table %q without metadata", tn)
			}
		}
	})
}

// TestReadProjectBackupRefusesDamage: each damaged seed is refused with a
// message that names the file; the real one reads back whole.
func TestReadProjectBackupRefusesDamage(t *testing.T) {
	seeds, err := filepath.Glob("testdata/fuzz/FuzzReadProjectBackup/*")
	if err != nil || len(seeds) < 10 {
		t.Fatalf("seed corpus: %v, %d files", err, len(seeds))
	}
	dir := t.TempDir()
	for _, s := range seeds {
		raw, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		body := corpusBytes(t, raw)
		path := filepath.Join(dir, "project_1_backup_2026-11-23_02-00-00.json")
		os.WriteFile(path, body, 0o600)
		b, err := ReadBackup(path)
		if filepath.Base(s) == "real_small_backup" {
			if err != nil || len(b.Rows["tasks"]) != 2 || b.Meta.ProjectID != "1" {
				t.Errorf("real backup: %v", err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted", filepath.Base(s))
		} else if !strings.Contains(err.Error(), "project_1_backup_") {
			t.Errorf("%s: error does not name the file: %v", filepath.Base(s), err)
		}
	}
}

// corpusBytes decodes a "go test fuzz v1" file holding one []byte.
func corpusBytes(t *testing.T, raw []byte) []byte {
	t.Helper()
	s := strings.TrimSpace(strings.TrimPrefix(string(raw), "go test fuzz v1\n"))
	s = strings.TrimSuffix(strings.TrimPrefix(s, "[]byte("), ")")
	u, err := strconv.Unquote(s)
	if err != nil {
		t.Fatalf("corpus file: %v", err)
	}
	return []byte(u)
}
