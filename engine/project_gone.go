package engine

import (
	"os"
	"sort"
	"strconv"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// withBackedUpProjects adds to the projects in the database those that are
// there no more but have backups (issue 13 item 10): a project whose rows
// were deleted is exactly the one a user needs to restore. Each is marked
// Missing and named as its newest backup names it.
func (e *Engine) withBackedUpProjects(inDB []ProjectInfo) ([]ProjectInfo, error) {
	ents, err := os.ReadDir(e.projectsDir())
	if os.IsNotExist(err) {
		return inDB, nil
	}
	if err != nil {
		return inDB, err
	}
	known := map[string]bool{}
	for _, p := range inDB {
		known[p.ID] = true
	}
	var gone []ProjectInfo
	for _, en := range ents {
		id := en.Name()
		if known[id] || !en.IsDir() {
			continue
		}
		dir, err := catalog.ProjectDir(e.dir(), id)
		if err != nil {
			continue // not a project id lifeboat would have written
		}
		files, err := catalog.ListProject(dir, id, e.Loc, e.seal(), e.projectOpen())
		if err != nil {
			return inDB, err
		}
		if len(files) == 0 {
			continue
		}
		p := ProjectInfo{ID: id, Backups: len(files), Missing: true}
		for i := range files { // newest first: the newest name it has
			if files[i].MetaError == nil && files[i].Meta.ProjectName != "" {
				p.Name = files[i].Meta.ProjectName
				break
			}
		}
		if last := newestComplete(files); last != nil {
			p.LastBackup = backupInfo(*last).CreatedAt
		}
		gone = append(gone, p)
	}
	sort.Slice(gone, func(i, j int) bool { return idLess(gone[i].ID, gone[j].ID) })
	return append(inDB, gone...), nil
}

// idLess orders ids numerically when both are numbers, else as text.
func idLess(a, b string) bool {
	x, errA := strconv.ParseInt(a, 10, 64)
	y, errB := strconv.ParseInt(b, 10, 64)
	if errA == nil && errB == nil {
		return x < y
	}
	return a < b
}
