package audit

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestAppendReadNewestFirstPrivateAndTolerant(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	for i, a := range []string{"create", "verify", "delete"} {
		if err := Append(dir, Entry{Time: base.Add(time.Duration(i) * time.Minute), OSUser: "alice", Action: a, Object: "backup_x.sql.gz", Result: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	// A torn or foreign line must not hide the rest of the log.
	f, _ := os.OpenFile(filepath.Join(dir, FileName), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("{not json\n")
	f.Close()
	Append(dir, Entry{Time: base.Add(time.Hour), Action: "prune", Result: "failed", Error: "busy"})

	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("audit log mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	all, err := Read(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[0].Action != "prune" || all[3].Action != "create" || all[0].Error != "busy" {
		t.Fatalf("read %+v", all)
	}
	two, _ := Read(dir, 2)
	if len(two) != 2 || two[1].Action != "delete" {
		t.Fatalf("limit 2: %+v", two)
	}
	none, err := Read(t.TempDir(), 0)
	if err != nil || len(none) != 0 {
		t.Fatalf("missing log: %v %v", none, err)
	}
}

func TestConcurrentAppendsKeepWholeLines(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			Append(dir, Entry{Action: "create", Object: "backup", Result: "ok", Detail: string(make([]byte, 500))})
		}()
	}
	wg.Wait()
	all, err := Read(dir, 0)
	if err != nil || len(all) != 50 {
		t.Fatalf("%d whole entries of 50 (%v)", len(all), err)
	}
}
