package tui

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// startProgram runs the real Bubble Tea program on fixed data and a fixed
// clock, colours off, and waits until the backups are on screen.
func startProgram(t *testing.T, w, h int) *teatest.TestModel {
	t.Helper()
	m := New(context.Background(), newFake(), Options{DatabaseName: "app", NoColor: true, Now: func() time.Time { return fixedNow }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitText(t, tm, "2026-11-21")
	return tm
}

// waitText waits until all of want appear in the output written since
// the last wait (each wait consumes what it read).
func waitText(t *testing.T, tm *teatest.TestModel, want ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range want {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second))
}

// finalScreen quits and returns the last screen the program drew.
func finalScreen(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if !ok {
		t.Fatal("final model is not a tui.Model")
	}
	s := fm.View().Content
	if strings.Contains(s, "\x1b") {
		t.Fatalf("colours-off screen has escape codes: %q", s)
	}
	return s
}

func TestGoldenFullBackups(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := startProgram(t, size[0], size[1])
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenProjectRestorePlan(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			tm := startProgram(t, size[0], size[1])
			tm.Send(keyMsg("2"))
			waitText(t, tm, "Acme Shop")
			tm.Send(keyMsg("enter"))
			waitText(t, tm, "project_7_backup_2026-11-20")
			tm.Send(keyMsg("r"))
			waitText(t, tm, "UNCHANGED")
			golden.RequireEqual(t, finalScreen(t, tm))
		})
	}
}

func TestGoldenActivity(t *testing.T) {
	tm := startProgram(t, 80, 24)
	tm.Send(keyMsg("3"))
	waitText(t, tm, "alice")
	golden.RequireEqual(t, finalScreen(t, tm))
}

// TestProgramRelaysProgress runs the real program: snapshots from the
// backup's goroutine reach the screen through the relay, and the end of
// the work refreshes the table and says so.
func TestProgramRelaysProgress(t *testing.T) {
	f := newFake()
	step := make(chan struct{})
	f.backupFn = func(ctx context.Context, fn progress.Func) (engine.BackupResult, error) {
		for i, tbl := range []string{"app.customers", "app.orders"} {
			fn(progress.Snapshot{Table: tbl, TablesDone: int64(i), TablesTotal: 2, Bytes: int64(i+1) * 1_000_000, BytesTotal: 2_000_000, Elapsed: time.Second})
			select {
			case <-step:
			case <-ctx.Done():
				return engine.BackupResult{}, ctx.Err()
			}
		}
		f.mu.Lock()
		f.backups = append([]engine.BackupInfo{{Filename: "backup_2026-11-23_05-00-00.sql.gz", State: engine.StateComplete}}, f.backups...)
		f.mu.Unlock()
		return engine.BackupResult{Filename: "backup_2026-11-23_05-00-00.sql.gz"}, nil
	}
	m := New(context.Background(), f, Options{DatabaseName: "app", NoColor: true, Now: func() time.Time { return fixedNow }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitText(t, tm, "2026-11-21")
	tm.Send(keyMsg("n"))
	waitText(t, tm, "app.customers (0/2)", "50%")
	step <- struct{}{}
	waitText(t, tm, "app.orders (1/2)")
	step <- struct{}{}
	waitText(t, tm, "done")
	s := finalScreen(t, tm)
	if !strings.Contains(s, "  backup_2026-11-23_05-00-00.sql.gz") || strings.Contains(s, "esc cancel") {
		t.Fatalf("after the backup the table should show it and the progress should be gone:\n%s", s)
	}
}

func TestGoldenDetails(t *testing.T) {
	tm := startProgram(t, 80, 24)
	tm.Send(keyMsg("enter"))
	waitText(t, tm, "last verify")
	golden.RequireEqual(t, finalScreen(t, tm))
}
