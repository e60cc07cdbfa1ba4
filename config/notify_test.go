package config

import (
	"strings"
	"testing"
	"time"
)

// TestNotifyConfigKeysAndRefusals: [notify] and [check] load; bad values
// and unknown keys are refused with the key named.
func TestNotifyConfigKeysAndRefusals(t *testing.T) {
	c, err := loadTOML(t, minimalTOML+`[check]
critical_after = "60h"
warn_free_backups = 3
[notify]
on = ["failure", "success"]
webhook = "https://hc-ping.com/abc"
command = "/usr/local/bin/page"
timeout = "2s"
`)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Notify.Wants("success") || c.Notify.Wants("stale") || c.Notify.AttemptTimeout() != 2*time.Second ||
		c.CriticalAge() != 60*time.Hour {
		t.Errorf("loaded %+v %+v", c.Notify, c.Check)
	}
	if w, cr := c.FreeThresholds(); w != 3 || cr != DefaultCriticalFreeBackups {
		t.Errorf("free thresholds %v %v", w, cr)
	}
	d, err := loadTOML(t, minimalTOML+"[notify]\nwebhook = \"http://127.0.0.1:9/x\"\n")
	if err != nil || !d.Notify.Wants("stale") || d.Notify.Wants("success") || d.CriticalAge() != 2*DefaultStaleAfter {
		t.Errorf("defaults: %v %+v", err, d)
	}
	for _, c := range []struct{ body, want string }{
		{"[notify]\non = [\"sometimes\"]\n", "notify.on"},
		{"[notify]\nwebhook = \"ftp://x\"\n", "notify.webhook"},
		{"[notify]\ncommand = \"page-oncall\"\n", "notify.command"},
		{"[notify]\nurl = \"x\"\n", `unknown key "notify.url"`},
		{"[check]\ncritical_after = \"1h\"\n", "longer than backup.stale_after"},
		{"[check]\nwarn_free_backups = -1\n", "must not be negative"},
		{"[check]\nwarn_after = \"1h\"\n", `unknown key "check.warn_after"`},
	} {
		_, err := loadTOML(t, minimalTOML+c.body)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.body, err, c.want)
		}
	}
}
