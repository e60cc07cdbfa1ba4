package tui

import (
	"fmt"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// typeWhy says which name the project restore dialog wants typed, and why
// (issue 13 item 10): the name in the backup, which is the state being put
// back, though the list shows the current one. "" when both are the same.
func typeWhy(p engine.ProjectRestorePlan, proj string) string {
	switch {
	case !p.Exists:
		return fmt.Sprintf("Not in the database now; type its name in the backup: %s.", proj)
	case p.CurrentName != "" && p.CurrentName != proj:
		return fmt.Sprintf("Called %s now; type its name in the backup: %s.", p.CurrentName, proj)
	}
	return "" // the same name now and in the backup: the prompt says enough
}

// safetyNote says what is kept before the restore: nothing, when the
// project has no rows now.
func safetyNote(p engine.ProjectRestorePlan, id string) string {
	if !p.Exists {
		return fmt.Sprintf("Project %s has no rows now, so there is nothing to back up first.", id)
	}
	return fmt.Sprintf("A safety backup of project %s is taken first, so this can be undone.", id)
}
