package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// TestScheduleCLIPrintStatusAndRefusals (issue 16): --print shows the
// crontab lines without systemd (the units with it) and writes nothing;
// a bad --at is a usage error; --binlog is refused while this lifeboat
// has no binlog sync; status --json says none installed as [].
func TestScheduleCLIPrintStatusAndRefusals(t *testing.T) {
	f := newFixture(t, "")
	units := t.TempDir()
	r := f.run(t, "schedule", "install", "--print", "--verify-weekly")
	if r.code != 0 {
		t.Fatalf("--print: %d %q", r.code, r.stderr)
	}
	abs, _ := filepath.Abs(f.config)
	if engine.SystemdRunning() {
		if !strings.Contains(r.stdout, "ExecStart="+binary+" --config "+abs+" backup\n") {
			t.Errorf("--print with systemd: %q", r.stdout)
		}
	} else if !strings.Contains(r.stdout, "0 2 * * * ") || !strings.Contains(r.stdout, binary+" --config "+abs+" backup\n") ||
		!strings.Contains(r.stdout, "0 5 * * 0 ") || !strings.Contains(r.stderr, "crontab lines") {
		t.Errorf("--print without systemd: stdout %q stderr %q", r.stdout, r.stderr)
	}
	if r := f.run(t, "schedule", "install", "--at", "25:61", "--dir", units); r.code != 2 || !strings.Contains(r.stderr, "HH:MM") {
		t.Errorf("--at 25:61: %d %q", r.code, r.stderr)
	}
	if r := f.run(t, "schedule", "install", "--binlog", "--dir", units); r.code != 2 || !strings.Contains(r.stderr, "[binlog] archive = true") {
		t.Errorf("--binlog without [binlog]: %d %q", r.code, r.stderr)
	}
	if ls, _ := os.ReadDir(units); len(ls) != 0 {
		t.Errorf("refused installs wrote %d files", len(ls))
	}
	st, raw := jsonReply[scheduleStatusReply](t, f, "schedule", "status", "--dir", units)
	if tm, ok := raw["timers"].([]any); !ok || len(tm) != 0 || len(st.Timers) != 0 {
		t.Errorf("status with nothing installed: %v", raw)
	}
	if r := f.run(t, "schedule", "status", "--dir", units); !strings.Contains(r.stderr, "no lifeboat timers installed") {
		t.Errorf("status text: %q", r.stderr)
	}
	ins, _ := jsonReply[scheduleInstallReply](t, f, "schedule", "install", "--dir", units, "--at", "23:15")
	if len(ins.Written) != 4 || ins.Enabled { // backup and check, service and timer
		t.Errorf("install --json: %+v", ins)
	}
	if b, _ := os.ReadFile(filepath.Join(units, "lifeboat-backup.timer")); !strings.Contains(string(b), "OnCalendar=*-*-* 23:15:00") {
		t.Errorf("timer: %s", b)
	}
}

// TestScheduleCLIBinlogInstallsTheFollower: with [binlog] archive on,
// schedule install --binlog writes a service that runs binlog sync --follow
// with this config (issue 15 item 3).
func TestScheduleCLIBinlogInstallsTheFollower(t *testing.T) {
	f := newFixture(t, "\n[binlog]\narchive = true\n")
	units := t.TempDir()
	ins, _ := jsonReply[scheduleInstallReply](t, f, "schedule", "install", "--binlog", "--dir", units)
	b, err := os.ReadFile(filepath.Join(units, "lifeboat-binlog.service"))
	abs, _ := filepath.Abs(f.config)
	if err != nil || !strings.Contains(string(b), "ExecStart="+binary+" --config "+abs+" binlog sync --follow\n") || !strings.Contains(string(b), "Restart=on-failure") {
		t.Fatalf("install --binlog wrote %v: %s (%v)", ins.Written, b, err)
	}
}
