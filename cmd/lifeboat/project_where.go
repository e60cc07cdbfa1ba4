package main

// Where project backups are, with [[remote]] (issue 20): project list's
// WHERE column, project status's locations and its newest backup when
// only a remote holds it.

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func (e *env) projectLocationsOf(ls []engine.ProjectLocation) []projectLocationJSON {
	if ls == nil {
		return nil
	}
	out := make([]projectLocationJSON, len(ls))
	for i, l := range ls {
		out[i] = projectLocationJSON{Name: l.Name, Backups: l.Backups, LastBackup: e.seedTime(l.LastBackup), Error: l.Error}
	}
	return out
}

// locationCounts says "local 2, offsite 5"; a remote that could not be
// listed is "offsite unreachable".
func locationCounts(ls []engine.ProjectLocation) string {
	parts := make([]string, 0, len(ls))
	for _, l := range ls {
		if l.Error != "" {
			parts = append(parts, l.Name+" unreachable")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d", l.Name, l.Backups))
	}
	return strings.Join(parts, ", ")
}

// whereOf is a project backup's WHERE, "" without remotes.
func whereOf(b engine.ProjectBackupInfo) string {
	if b.Locations == nil {
		return ""
	}
	return b.Where()
}

// newestWhere is project status's "newest" line: the name, where it is,
// and, when only a remote holds it, how to fetch it.
func newestWhere(id string, b engine.ProjectBackupInfo) string {
	if b.Locations == nil {
		return b.Filename
	}
	if b.Path != "" {
		return b.Filename + "  (" + b.Where() + ")"
	}
	var remotes []string
	for _, l := range b.Locations {
		if l.Name != engine.LocalLocation {
			remotes = append(remotes, l.Name)
		}
	}
	return fmt.Sprintf("%s  only on remote %s, not in backup.dir: `lifeboat project pull %s %s` fetches it (project restore and verify fetch it themselves)",
		b.Filename, strings.Join(remotes, ", "), id, b.Filename)
}
