package schedule

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func testOptions(t *testing.T) Options {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("# test\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return Options{Binary: bin, Config: cfg, User: "root", BackupDir: filepath.Join(dir, "backups"),
		At: "03:30", VerifyWeekly: true, Binlog: true}
}

// TestScheduleUnitsPassSystemdAnalyzeVerify (issue 16): every unit
// schedule install writes, the follower's too, is accepted by
// `systemd-analyze verify`. Without systemd-analyze the test fails: .ci/run
// and make deps install Debian's systemd package.
func TestScheduleUnitsPassSystemdAnalyzeVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("systemd-analyze is needed to check the units: apt-get install systemd (make deps does): %v", err)
	}
	o := testOptions(t)
	if err := os.MkdirAll(o.BackupDir, 0o700); err != nil {
		t.Fatal(err)
	}
	units, err := Units(o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := Write(dir, units)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 7 {
		t.Fatalf("wrote %v, want 7 units", paths)
	}
	out, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// And it does refuse a broken unit, so the check above means something.
	bad := filepath.Join(t.TempDir(), "lifeboat-bad.service")
	os.WriteFile(bad, []byte("[Service]\nExecStart=/nonexistent/lifeboat backup\n"), 0o644)
	if out, err := exec.Command(analyze, "verify", bad).CombinedOutput(); err == nil {
		t.Fatalf("systemd-analyze accepted a unit whose binary does not exist: %s", out)
	}
}

// TestScheduleUnitsRunAsOwnerHardened: the services run lifeboat with the
// same absolute --config as the config's owner, read-only but for
// backup.dir; the nightly timer has its time and a random delay, the
// verify is weekly, the follower restarts on failure.
func TestScheduleUnitsRunAsOwnerHardened(t *testing.T) {
	o := testOptions(t)
	units, err := Units(o)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, u := range units {
		byName[u.Name] = u.Text
	}
	for name, cmd := range map[string]string{
		BackupService: o.Binary + " --config " + o.Config + " backup",
		VerifyService: o.Binary + " --config " + o.Config + " verify --newest --restore",
		BinlogService: o.Binary + " --config " + o.Config + " binlog sync --follow",
		CheckService:  o.Binary + " --config " + o.Config + " check",
	} {
		text := byName[name]
		if got := ExecStart(text); got != cmd {
			t.Errorf("%s ExecStart %q, want %q", name, got, cmd)
		}
		for _, want := range []string{"User=root\n", "ProtectSystem=strict\n", "ReadWritePaths=" + o.BackupDir + "\n", "NoNewPrivileges=yes\n", "PrivateTmp=yes\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	for name, want := range map[string][]string{
		BackupTimer:   {"OnCalendar=*-*-* 03:30:00\n", "RandomizedDelaySec=15min\n", "Persistent=true\n", "Unit=" + BackupService},
		VerifyTimer:   {"OnCalendar=Sun *-*-* 06:30:00\n", "Unit=" + VerifyService},
		BinlogService: {"Restart=on-failure\n", "binlog sync --follow"},
		CheckTimer:    {"OnCalendar=hourly\n", "Persistent=true\n", "Unit=" + CheckService},
		CheckService:  {"SuccessExitStatus=1 2\n"},
	} {
		for _, w := range want {
			if !strings.Contains(byName[name], w) {
				t.Errorf("%s lacks %q:\n%s", name, w, byName[name])
			}
		}
	}
	cron, err := Crontab(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"30 3 * * * root " + o.Binary + " --config " + o.Config + " backup\n",
		"30 6 * * 0 root " + o.Binary + " --config " + o.Config + " verify --newest --restore\n"} {
		if !strings.Contains(cron, w) {
			t.Errorf("crontab lacks %q:\n%s", w, cron)
		}
	}
}

// TestScheduleRefusesBadInput: a bad time, a relative or unsafe path, and
// a unit file lifeboat did not write are refused, and nothing is written.
func TestScheduleRefusesBadInput(t *testing.T) {
	o := testOptions(t)
	for _, c := range []struct {
		mut  func(*Options)
		want string
	}{
		{func(o *Options) { o.At = "25:00" }, "use a 24-hour time HH:MM"},
		{func(o *Options) { o.At = "2am" }, "use a 24-hour time HH:MM"},
		{func(o *Options) { o.Config = "config.toml" }, "must be an absolute path"},
		{func(o *Options) { o.BackupDir = "/var/backups/my dir" }, "holds a space"},
		{func(o *Options) { o.Config = "/etc/x%n.toml" }, "holds a space"},
	} {
		bad := o
		c.mut(&bad)
		if _, err := Units(bad); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", bad, err, c.want)
		}
	}
	dir := t.TempDir()
	mine := filepath.Join(dir, BackupTimer)
	os.WriteFile(mine, []byte("[Timer]\nOnCalendar=hourly\n"), 0o644)
	units, _ := Units(o)
	if _, err := Write(dir, units); err == nil || !strings.Contains(err.Error(), "not written by lifeboat") {
		t.Fatalf("Write over a foreign unit: %v", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "[Timer]\nOnCalendar=hourly\n" {
		t.Errorf("the foreign unit was changed: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, BackupService)); err == nil {
		t.Errorf("a unit was written although one was refused")
	}
}

// TestScheduleStatusWithoutSystemd: units found in the directory are
// reported as installed; with none, the list is empty.
func TestScheduleStatusWithoutSystemd(t *testing.T) {
	dir := t.TempDir()
	st, err := Status(t.Context(), dir)
	if err != nil || len(st) != 0 {
		t.Fatalf("empty dir: %v %v", st, err)
	}
	o := testOptions(t)
	o.VerifyWeekly, o.Binlog = false, false
	units, _ := Units(o)
	if _, err := Write(dir, units); err != nil {
		t.Fatal(err)
	}
	st, err = Status(t.Context(), dir)
	if err != nil || len(st) != 2 || st[0].Timer != BackupTimer || !st[0].Installed || st[0].Service != BackupService || st[1].Timer != CheckTimer {
		t.Fatalf("status %+v %v", st, err)
	}
	if got := parseShow("NextElapseUSecRealtime=@1764640800\nResult=exit-code\n"); unixTime(got["NextElapseUSecRealtime"]).Unix() != 1764640800 || got["Result"] != "exit-code" {
		t.Errorf("parseShow %v", got)
	}
}
