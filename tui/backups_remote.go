package tui

// The Full backups tab with [[remote]] (issue 20): a WHERE column and a
// line per remote under the health strip. Without remotes nothing changes.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// whereColumn says local, offsite or local+offsite; it is the last to go
// on a narrow screen after STATE.
var whereColumn = column{title: "WHERE", width: 13, drop: 6}

func hasLocations(list []engine.BackupInfo) bool {
	for _, b := range list {
		if len(b.Locations) > 0 {
			return true
		}
	}
	return false
}

// remotesLine is "off-site: offsite ✓ 12 backups, last 3 h ago · b2 ✗ unreachable".
func (t backupsTab) remotesLine(s *engine.Status, width int) string {
	if len(s.Remotes) == 0 {
		return ""
	}
	var parts []string
	for _, r := range s.Remotes {
		name := engine.Printable(r.Name)
		if !r.Reachable {
			parts = append(parts, name+" "+t.st.Danger.Render("✗ unreachable"))
			continue
		}
		p := fmt.Sprintf("%s %s %s", name, t.st.OK.Render("✓"), plural(r.Total, "backup"))
		if r.Newest != "" {
			p += ", last " + ago(t.now(), r.NewestTime)
		}
		parts = append(parts, p)
	}
	return lipgloss.NewStyle().MaxWidth(width).Render("  off-site: " + strings.Join(parts, " · "))
}

func remoteCount(plan engine.PruneResult) int {
	n := 0
	for _, r := range plan.Remotes {
		n += len(r.Deleted)
	}
	return n
}

// remotePruneLines tell the prune dialog what goes on each remote.
func remotePruneLines(plan engine.PruneResult) []string {
	var out []string
	for _, r := range plan.Remotes {
		switch {
		case r.Error != "":
			out = append(out, fmt.Sprintf("remote %s: not pruned: %s", engine.Printable(r.Remote), engine.Printable(r.Error)))
		case len(r.Deleted) > 0:
			out = append(out, fmt.Sprintf("remote %s keeps its newest %d; %s go there: %s", engine.Printable(r.Remote), r.Keep,
				plural(len(r.Deleted), "file"), engine.Printable(strings.Join(r.Deleted, ", "))))
		}
	}
	return out
}
