package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestRestoreModeLines: the confirmation says a swap keeps the current
// tables (not "cannot be undone"), in place names why and the safety
// backup, and the finished line names the window and the kept schema.
func TestRestoreModeLines(t *testing.T) {
	swap := restoreSafetyLine(engine.RestorePlan{Mode: engine.ModeSwap, Exists: true}, "app")
	if !strings.Contains(swap, "restore --undo") || strings.Contains(swap, "cannot be undone") {
		t.Errorf("swap line %q", swap)
	}
	in := restoreSafetyLine(engine.RestorePlan{Mode: engine.ModeInPlace, ModeReason: "--in-place was asked", SafetyBackup: true}, "app")
	if !strings.Contains(in, "--in-place was asked") || !strings.Contains(in, "safety backup of app") {
		t.Errorf("in-place line %q", in)
	}
	note := restoreDoneNote(engine.RestoreResult{Previous: "app__lifeboat_prev_20261202T200000", SwapWindow: 42 * time.Millisecond})
	if note != "; swapped in 42 ms, previous tables kept in app__lifeboat_prev_20261202T200000 (u puts them back)" {
		t.Errorf("done note %q", note)
	}
}
