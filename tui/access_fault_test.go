package tui

import (
	"errors"
	"strings"
	"testing"
)

// TestEveryActionRefusedByAccessRule: each action the screen offers,
// when an [access] rule refuses it, is shown as refused with the reason
// and never reaches the engine (not even its dry run or plan).
func TestEveryActionRefusedByAccessRule(t *testing.T) {
	for _, c := range []struct {
		action string
		keys   []string
		calls  []string // engine calls that must not happen
	}{
		{"create", []string{"n"}, []string{"backup"}},
		{"verify", []string{"v"}, []string{"verify "}},
		{"restore", []string{"r"}, []string{"plan restore", "restore "}},
		{"delete", []string{"d"}, []string{"delete "}},
		{"prune", []string{"p"}, []string{"prune "}},
		{"project_backup", []string{"2", "b"}, []string{"project backup"}},
		{"project_restore", []string{"2", "enter", "r"}, []string{"plan project restore", "project restore"}},
		{"project_delete", []string{"2", "enter", "d"}, []string{"project delete"}},
	} {
		t.Run(c.action, func(t *testing.T) {
			f := newFake()
			f.denied = map[string]error{c.action: errors.New(`access.` + c.action + ` = ["@dba"] in the config`)}
			d := newDriver(t, f, 100, 30)
			d.press(c.keys...)
			d.mustSee("✗ " + c.action + " refused: access." + c.action)
			f.mu.Lock()
			defer f.mu.Unlock()
			for _, call := range f.calls {
				for _, bad := range c.calls {
					if strings.HasPrefix(call, bad) {
						t.Errorf("refused %s still called the engine: %q", c.action, call)
					}
				}
			}
		})
	}
}
