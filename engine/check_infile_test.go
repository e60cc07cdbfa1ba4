package engine

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// setLocalInfile sets the server's global local_infile for this test and
// puts back what it was when the test ends. The test servers start with
// it off (the sandbox's lockdown); a production MariaDB has it on.
func setLocalInfile(t *testing.T, db *sql.DB, on bool) {
	t.Helper()
	was := globalInfile(t, db)
	t.Cleanup(func() {
		if _, err := db.Exec("SET GLOBAL local_infile = ?", was); err != nil {
			t.Errorf("putting local_infile back to %d: %v", was, err)
		}
	})
	v := map[bool]int{true: 1, false: 0}[on]
	if _, err := db.Exec("SET GLOBAL local_infile = ?", v); err != nil {
		t.Fatal(err)
	}
}

// TestCheckLocalInfile (issue 18): with the server's local_infile OFF,
// check is WARNING (not CRITICAL: restores work, only slower), naming the
// setting and how to turn it on for good; with it ON there is no
// local_infile problem, check is OK and its summary says restores can use
// LOAD DATA. Each state is set on the real
// server, and the global is back as it was after each.
func TestCheckLocalInfile(t *testing.T) {
	e := monEngine(t, "")
	ctx := context.Background()
	if _, err := e.Backup(ctx, BackupOptions{}, progress.Nop); err != nil {
		t.Fatal(err)
	}
	d := e.db
	before := globalInfile(t, d)
	t.Run("off", func(t *testing.T) {
		setLocalInfile(t, d, false)
		chk, err := e.Check(ctx, CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := problem(chk, "local_infile")
		if chk.Status != CheckWarning || len(chk.Problems) != 1 || p == nil || p.Status != CheckWarning {
			t.Fatalf("local_infile off: %+v, want one local_infile WARNING", chk)
		}
		for _, want := range []string{"local_infile OFF", "INSERTs", "SET GLOBAL local_infile=1", "[mariadbd]", e.ServerLabel()} {
			if !strings.Contains(p.Message, want) || !strings.Contains(chk.Summary, want) {
				t.Errorf("message %q (summary %q) lacks %q", p.Message, chk.Summary, want)
			}
		}
	})
	if got := globalInfile(t, d); got != before {
		t.Fatalf("local_infile is %d after the test, was %d", got, before)
	}
	t.Run("on", func(t *testing.T) {
		setLocalInfile(t, d, true)
		chk, err := e.Check(ctx, CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if chk.Status != CheckOK || problem(chk, "local_infile") != nil || len(chk.Problems) != 0 {
			t.Fatalf("local_infile on: %+v, want OK with no problem", chk)
		}
		if !strings.HasSuffix(chk.Summary, "; restores can use LOAD DATA (local_infile ON)") {
			t.Errorf("local_infile on: summary %q does not say so", chk.Summary)
		}
	})
	if got := globalInfile(t, d); got != before {
		t.Fatalf("local_infile is %d after the test, was %d", got, before)
	}
}

func globalInfile(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow("SELECT @@GLOBAL.local_infile").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
