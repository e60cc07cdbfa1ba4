package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// pruneFileJSON is one entry of prune --json's "files": every backup
// retention judged, with the rules that keep it (none: it goes).
type pruneFileJSON struct {
	Filename string   `json:"filename"`
	Kept     bool     `json:"kept"`
	Rules    []string `json:"rules"`   // [] when deleted; keep, keep_daily, ..., newest_verified, pinned, shrink
	Reasons  []string `json:"reasons"` // the rules in words
}

func pruneFiles(res engine.PruneResult) []pruneFileJSON {
	out := make([]pruneFileJSON, 0, len(res.Verdicts))
	for _, v := range res.Verdicts {
		out = append(out, pruneFileJSON{Filename: v.Name, Kept: v.Kept, Rules: orEmpty(v.Rules), Reasons: orEmpty(v.Why)})
	}
	return out
}

// countFiles says "1 file", "2 files".
func countFiles(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}

// printPrune writes, for each backup, whether it goes or which rule
// keeps it, then one summary line in plain English.
func printPrune(e *env, msg string, dry bool, res engine.PruneResult) {
	verb := "deleted"
	if dry {
		verb = "would delete"
	}
	for _, v := range res.Verdicts {
		switch {
		case v.Kept:
			safef(e.stdout, "keep   %s: %s\n", v.Name, strings.Join(v.Why, "; "))
		case slices.Contains(res.Deleted, v.Name):
			safef(e.stdout, "%s %s: no rule keeps it\n", verb, v.Name)
		}
	}
	e.say("%s: %s %s, %s freed, %d kept", msg, verb, countFiles(len(res.Deleted)), humanBytes(res.SpaceFreed), res.FilesAfter)
	if extra := keptBeyondKeep(res); extra != "" {
		e.say("%s", extra)
	}
}

// keptBeyondKeep explains, when more than the newest N stay, which rule
// keeps each extra backup, such as the newest verified one.
func keptBeyondKeep(res engine.PruneResult) string {
	var extra []string
	for _, v := range res.Verdicts {
		if v.Kept && !slices.Contains(v.Rules, "keep") {
			extra = append(extra, v.Name+" ("+strings.Join(v.Why, "; ")+")")
		}
	}
	if len(extra) == 0 {
		return ""
	}
	return fmt.Sprintf("kept %d beyond the newest %d: %s", len(extra), res.Keep, strings.Join(extra, ", "))
}

// policyWords says what prune keeps: "the newest 20", "the newest 2 and
// keep_daily 7", or only the calendar rules when keep is 0.
func policyWords(res engine.PruneResult) string {
	switch {
	case res.Calendar == "":
		return fmt.Sprintf("the newest %d", res.Keep)
	case res.Keep == 0:
		return res.Calendar
	}
	return fmt.Sprintf("the newest %d and %s", res.Keep, res.Calendar)
}
