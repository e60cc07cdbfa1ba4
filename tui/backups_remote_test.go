package tui

import (
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestRemote09BackupsTabShowsEveryLocation: with remotes, the table has a
// WHERE column and the strip a line per remote; without them the screen
// is as before (the golden screens).
func TestRemote09BackupsTabShowsEveryLocation(t *testing.T) {
	f := newFake()
	f.backups[0].Locations = []engine.Location{{Name: "local", State: engine.StateVerified}, {Name: "offsite", State: engine.StateComplete}}
	f.backups[1].Locations = []engine.Location{{Name: "local", State: engine.StateComplete}}
	f.backups[2].Locations = []engine.Location{{Name: "offsite", State: engine.StateComplete}}
	f.status.Remotes = []engine.RemoteStatus{{Name: "offsite", Reachable: true, Total: 2, Newest: f.backups[0].Filename, NewestTime: f.backups[0].CreatedAt},
		{Name: "b2", Error: "remote \"b2\": not reachable"}}
	d := newDriver(t, f, 120, 24)
	s := d.screen()
	for _, want := range []string{"WHERE", "local+offsite", "offsite ✓ 2 backups", "b2 ✗ unreachable"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	lines := strings.Split(s, "\n")
	for _, l := range lines {
		if strings.Contains(l, "backup_2026-11-21") && !strings.HasSuffix(strings.TrimRight(l, " "), "offsite") {
			t.Errorf("remote-only row does not say offsite: %q", l)
		}
		if strings.Contains(l, "backup_2026-11-22") && !strings.HasSuffix(strings.TrimRight(l, " "), "local") {
			t.Errorf("local-only row does not say local: %q", l)
		}
	}
}
