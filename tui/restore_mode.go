package tui

import (
	"fmt"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// restoreSafetyLine says how the restore can be undone (issue 18): a swap
// keeps the current tables on the server, in place a safety backup is
// taken first, or nothing.
func restoreSafetyLine(p engine.RestorePlan, db string) string {
	switch {
	case p.Mode == engine.ModeSwap:
		return fmt.Sprintf("Swap restore: the backup loads into a copy while %s keeps serving, then one RENAME swaps it in; the current tables are kept, so u here (or restore --undo) puts them back.", db)
	case p.SafetyBackup && p.ModeReason != "":
		return fmt.Sprintf("In place (%s): a safety backup of %s is taken first, so this can be undone.", p.ModeReason, db)
	case p.SafetyBackup:
		return fmt.Sprintf("A safety backup of %s is taken first, so this can be undone.", db)
	}
	return "No safety backup will be taken: this cannot be undone."
}

// restoreDoneNote is what the finished restore adds to its line: the
// safety backup, or the swap's window and where the old tables are kept.
func restoreDoneNote(res engine.RestoreResult) string {
	switch {
	case res.SafetyBackup != "":
		return "; safety backup " + res.SafetyBackup
	case res.Previous != "":
		return fmt.Sprintf("; swapped in %d ms, previous tables kept in %s (u puts them back)", res.SwapWindow.Milliseconds(), res.Previous)
	}
	return ""
}
