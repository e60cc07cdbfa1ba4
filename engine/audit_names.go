package engine

import "github.com/lifeboat-dev/lifeboat/engine/safefile"

// named sets a backup's audit object to its file (issue 13 item 11). A
// backup that failed never had that name: what existed was its partial
// file, which was removed, so the line names that and says so, instead
// of a file nobody can find.
func (a *actionLog) named(name string, err error) {
	if name == "" {
		return
	}
	if err == nil {
		a.Object = name
		return
	}
	a.Object = name + safefile.PartialSuffix
	note := "removed; " + name + " was never written"
	if a.Detail != "" {
		note = a.Detail + "; " + note
	}
	a.Detail = note
}
