package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// maxKeptNotes is how many kept-by-another-rule files the prune dialog
// names before it points to the full list.
const maxKeptNotes = 5

// pruneHeadline is the dialog's first line: the policy, then what goes.
func pruneHeadline(plan engine.PruneResult) string {
	policy := fmt.Sprintf("Keep the newest %d", plan.Keep)
	switch {
	case plan.Calendar != "" && plan.Keep == 0:
		policy = "Keep by " + plan.Calendar
	case plan.Calendar != "":
		policy += " and " + plan.Calendar
	}
	return fmt.Sprintf("%s; %s go (%s):", policy, plural(len(plan.Deleted), "file"), size(plan.SpaceFreed))
}

// pruneNotes says which rule keeps each file that stays for a reason
// other than being among the newest Keep, such as the newest verified
// backup or a monthly one; a long list ends with where to see it all.
func pruneNotes(plan engine.PruneResult) []string {
	var extra []string
	for _, v := range plan.Verdicts {
		if v.Kept && !slices.Contains(v.Rules, "keep") {
			extra = append(extra, fmt.Sprintf("  %s: %s", v.Name, strings.Join(v.Why, "; ")))
		}
	}
	if len(extra) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("Also kept (%d):", len(extra))}
	if len(extra) > maxKeptNotes {
		more := len(extra) - maxKeptNotes + 1
		extra = append(extra[:maxKeptNotes-1], fmt.Sprintf("  … and %d more: lifeboat prune --dry-run lists each", more))
	}
	return append(out, extra...)
}

// nothingToPrune is what p says when no file goes, with why extra ones stay.
func nothingToPrune(plan engine.PruneResult) string {
	s := fmt.Sprintf("nothing to prune: %s, keeping the newest %d", plural(plan.FilesBefore, "backup"), plan.Keep)
	if plan.Calendar != "" {
		s += " and " + plan.Calendar
	}
	var why []string
	for _, v := range plan.Verdicts {
		if v.Kept && !slices.Contains(v.Rules, "keep") {
			why = append(why, v.Name+" ("+strings.Join(v.Why, "; ")+")")
		}
	}
	if len(why) > 0 {
		s += "; also kept: " + strings.Join(why, ", ")
	}
	return s
}
