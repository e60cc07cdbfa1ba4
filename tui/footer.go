package tui

import "charm.land/bubbles/v2/key"

// jobStarter is a tab whose keys start background work. While a job
// runs those keys only answer "already running", so the footer leaves
// them out rather than offering them (issue 13 item 8).
type jobStarter interface {
	jobKeys() []key.Binding
}

func (t backupsTab) jobKeys() []key.Binding {
	return []key.Binding{t.keys.New, t.keys.Verify, t.keys.VerifyRestore, t.keys.Restore}
}

func (t projectsTab) jobKeys() []key.Binding {
	return []key.Binding{t.keys.Backup, t.keys.Restore}
}

// withoutJobKeys drops from bs every binding the tab marks as starting a job.
func withoutJobKeys(t tab, bs []key.Binding) []key.Binding {
	s, ok := t.(jobStarter)
	if !ok {
		return bs
	}
	var out []key.Binding
	for _, b := range bs {
		if !sameKeys(b, s.jobKeys()) {
			out = append(out, b)
		}
	}
	return out
}

func sameKeys(b key.Binding, set []key.Binding) bool {
	for _, o := range set {
		if len(o.Keys()) > 0 && len(b.Keys()) == len(o.Keys()) && b.Keys()[0] == o.Keys()[0] {
			return true
		}
	}
	return false
}
