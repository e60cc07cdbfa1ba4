// Package schedule owns lifeboat's scheduled jobs: the systemd service and
// timer units (or, without systemd, crontab lines) for the nightly backup,
// the weekly verify --restore and the binary-log follower, and reading
// their state back from systemctl. It runs lifeboat itself, never SQL.
package schedule

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Unit names. The services run lifeboat; the timers start them.
const (
	BackupService = "lifeboat-backup.service"
	BackupTimer   = "lifeboat-backup.timer"
	VerifyService = "lifeboat-verify.service"
	VerifyTimer   = "lifeboat-verify.timer"
	BinlogService = "lifeboat-binlog.service"
	// The hourly check: staleness can only be noticed by something that
	// runs, so `lifeboat check` runs on its own timer and sends [notify]'s
	// stale event when backups have stopped.
	CheckService = "lifeboat-check.service"
	CheckTimer   = "lifeboat-check.timer"
)

// DefaultAt is the nightly backup's time of day.
const DefaultAt = "02:00"

// RandomizedDelay spreads the nightly start so that many hosts do not hit
// shared storage in the same second.
const RandomizedDelay = "15min"

// Options say what to schedule and how to run lifeboat.
type Options struct {
	Binary       string // absolute path of the lifeboat binary
	Config       string // absolute path of the config, passed as --config
	User         string // the config's owner; the jobs run as this user
	BackupDir    string // backup.dir: the only path the jobs may write (and PrivateTmp)
	At           string // HH:MM of the nightly backup, DefaultAt when ""
	VerifyWeekly bool   // also verify --restore the newest backup each Sunday
	Binlog       bool   // also run binlog sync --follow, restarted on failure
}

// Unit is one file to install under /etc/systemd/system.
type Unit struct {
	Name string
	Text string
}

var atRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

// clock parses HH:MM.
func clock(at string) (h, m int, err error) {
	s := atRe.FindStringSubmatch(at)
	if s == nil {
		return 0, 0, fmt.Errorf("--at %q: use a 24-hour time HH:MM such as 02:00", at)
	}
	h, _ = strconv.Atoi(s[1])
	m, _ = strconv.Atoi(s[2])
	return h, m, nil
}

// CheckAt refuses a time of day that is not HH:MM (24-hour).
func CheckAt(at string) error {
	_, _, err := clock(at)
	return err
}

func (o Options) check() (Options, error) {
	if o.At == "" {
		o.At = DefaultAt
	}
	if _, _, err := clock(o.At); err != nil {
		return o, err
	}
	for _, p := range []struct{ what, path string }{{"lifeboat binary", o.Binary}, {"config", o.Config}, {"backup.dir", o.BackupDir}} {
		if !filepath.IsAbs(p.path) {
			return o, fmt.Errorf("schedule: the %s %q must be an absolute path", p.what, p.path)
		}
		// systemd splits ExecStart on spaces and expands % and $; a
		// path with them would run something else than shown.
		if strings.ContainsAny(p.path, " \t\n\"'\\%$;") {
			return o, fmt.Errorf("schedule: the %s %q holds a space, quote, %%, $ or ;: move it to a plain path", p.what, p.path)
		}
	}
	if o.User == "" || strings.ContainsAny(o.User, " \t\n%$") {
		return o, fmt.Errorf("schedule: no usable owner %q for the config", o.User)
	}
	return o, nil
}

// verifyAt is the weekly verify's time: Sunday, three hours after the
// nightly backup, so that it checks that night's file.
func verifyAt(at string) string {
	h, m, _ := clock(at)
	return fmt.Sprintf("%02d:%02d", (h+3)%24, m)
}

// command is the lifeboat command line a job runs.
func (o Options) command(args ...string) string {
	return strings.Join(append([]string{o.Binary, "--config", o.Config}, args...), " ")
}

// checkCommand is the hourly check's command line.
func (o Options) checkCommand() string { return o.command("check") }

// Commands are the jobs' command lines: backup, verify and binlog.
func (o Options) commands() (backup, verify, binlog string) {
	return o.command("backup"), o.command("verify", "--newest", "--restore"), o.command("binlog", "sync", "--follow")
}

// hardening are the lines every service shares: run as the config's
// owner, see the file system read-only except backup.dir and a private /tmp
// (the throwaway server of verify --restore lives there).
func (o Options) hardening() string {
	return fmt.Sprintf(`User=%s
ProtectSystem=strict
ReadWritePaths=%s
PrivateTmp=yes
NoNewPrivileges=yes
`, o.User, o.BackupDir)
}

// Units are the systemd units for o, services before their timers.
func Units(o Options) ([]Unit, error) {
	o, err := o.check()
	if err != nil {
		return nil, err
	}
	backup, verify, binlog := o.commands()
	head := "# Written by lifeboat schedule install; run it again to change this file.\n"
	units := []Unit{
		{BackupService, head + fmt.Sprintf(`[Unit]
Description=lifeboat nightly backup (then prune by backup.keep and the calendar rules)
Wants=network-online.target
After=network-online.target mariadb.service mysql.service

[Service]
Type=oneshot
ExecStart=%s
%s`, backup, o.hardening())},
		{BackupTimer, head + fmt.Sprintf(`[Unit]
Description=lifeboat nightly backup at %s

[Timer]
OnCalendar=*-*-* %s:00
RandomizedDelaySec=%s
Persistent=true
Unit=%s

[Install]
WantedBy=timers.target
`, o.At, o.At, RandomizedDelay, BackupService)},
		{CheckService, head + fmt.Sprintf(`[Unit]
Description=lifeboat check (stale backups, failures, disk, server; sends [notify]'s stale event)

[Service]
Type=oneshot
ExecStart=%s
# WARNING (1) and CRITICAL (2) are answers, not failures of the job.
SuccessExitStatus=1 2
%s`, o.checkCommand(), o.hardening())},
		{CheckTimer, head + `[Unit]
Description=lifeboat check every hour

[Timer]
OnCalendar=hourly
RandomizedDelaySec=5min
Persistent=true
Unit=` + CheckService + `

[Install]
WantedBy=timers.target
`},
	}
	if o.VerifyWeekly {
		units = append(units,
			Unit{VerifyService, head + fmt.Sprintf(`[Unit]
Description=lifeboat weekly verify --restore of the newest backup
After=mariadb.service mysql.service

[Service]
Type=oneshot
ExecStart=%s
%s`, verify, o.hardening())},
			Unit{VerifyTimer, head + fmt.Sprintf(`[Unit]
Description=lifeboat weekly verify on Sunday at %s

[Timer]
OnCalendar=Sun *-*-* %s:00
RandomizedDelaySec=%s
Persistent=true
Unit=%s

[Install]
WantedBy=timers.target
`, verifyAt(o.At), verifyAt(o.At), RandomizedDelay, VerifyService)})
	}
	if o.Binlog {
		units = append(units, Unit{BinlogService, head + fmt.Sprintf(`[Unit]
Description=lifeboat binary-log follower (binlog sync --follow)
Wants=network-online.target
After=network-online.target mariadb.service mysql.service

[Service]
Type=simple
ExecStart=%s
Restart=on-failure
RestartSec=30s
%s
[Install]
WantedBy=multi-user.target
`, binlog, o.hardening())})
	}
	return units, nil
}

// Crontab is the same schedule as /etc/cron.d lines, for a machine
// without systemd. cron has no randomized delay and no hardening; the
// follower is started again each minute if it is not running (flock).
func Crontab(o Options) (string, error) {
	o, err := o.check()
	if err != nil {
		return "", err
	}
	backup, verify, binlog := o.commands()
	h, m, _ := clock(o.At)
	vh, vm, _ := clock(verifyAt(o.At))
	var b strings.Builder
	b.WriteString("# /etc/cron.d/lifeboat, written by lifeboat schedule install --print\n")
	b.WriteString("SHELL=/bin/sh\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n")
	fmt.Fprintf(&b, "%d %d * * * %s %s\n", m, h, o.User, backup)
	fmt.Fprintf(&b, "%d * * * * %s %s >/dev/null\n", (m+17)%60, o.User, o.checkCommand())
	if o.VerifyWeekly {
		fmt.Fprintf(&b, "%d %d * * 0 %s %s\n", vm, vh, o.User, verify)
	}
	if o.Binlog {
		fmt.Fprintf(&b, "* * * * * %s flock -n %s/.binlog-follow.lock %s\n", o.User, o.BackupDir, binlog)
	}
	return b.String(), nil
}

// ExecStart returns the ExecStart= command of a unit's text ("" if none).
func ExecStart(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(l, "ExecStart="); ok {
			return v
		}
	}
	return ""
}
