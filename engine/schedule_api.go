package engine

// Scheduled jobs: lifeboat schedule install and status. The units and
// their state are engine/schedule's; this file finds the config's owner
// and paths, and runs the install through the envelope.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/schedule"
)

// TimerState is what is known of one scheduled job (schedule status).
type TimerState = schedule.TimerState

// ScheduleUnit is one systemd unit file.
type ScheduleUnit = schedule.Unit

// Unit names of the scheduled jobs.
const (
	ScheduleBackupTimer = schedule.BackupTimer
	ScheduleVerifyTimer = schedule.VerifyTimer
	ScheduleBinlog      = schedule.BinlogService
)

// ScheduleOptions say what schedule install writes.
type ScheduleOptions struct {
	Binary       string // absolute path of the lifeboat the jobs run
	At           string // HH:MM of the nightly backup; 02:00 when ""
	VerifyWeekly bool
	Binlog       bool
	Dir          string // unit directory; schedule.Dir() when ""
	Print        bool   // only build them: write and run nothing
}

// ScheduleResult is what schedule install built and did.
type ScheduleResult struct {
	Systemd bool // systemd runs here and Dir is where it reads units
	Dir     string
	Units   []ScheduleUnit
	Crontab string   // the same jobs for cron
	Written []string // unit files written
	Enabled bool     // systemctl daemon-reload and enable --now ran
	User    string   // the jobs run as this user (the config's owner)
}

// ErrNoSystemd is install's answer on a machine without systemd writing
// to the default directory: nothing is installed; Crontab holds the lines.
var ErrNoSystemd = errors.New("systemd is not running here (no /run/systemd/system): nothing was installed; put the crontab lines (lifeboat schedule install --print) in /etc/cron.d/lifeboat")

// CheckScheduleTime refuses an --at that is not HH:MM.
func CheckScheduleTime(at string) error { return schedule.CheckAt(at) }

// ScheduleDir is the unit directory status and install use by default.
func ScheduleDir() string { return schedule.Dir() }

// InstallSchedule builds the units for the nightly backup, the weekly
// verify and the binlog follower, run with this config as its owner, and
// (unless Print) writes them and, when systemd runs, enables the timers.
func (e *Engine) InstallSchedule(ctx context.Context, o ScheduleOptions) (ScheduleResult, error) {
	res := ScheduleResult{Dir: o.Dir}
	if res.Dir == "" {
		res.Dir = schedule.Dir()
	}
	res.Systemd = schedule.SystemdRunning() && filepath.Clean(res.Dir) == schedule.DefaultDir
	var uid, gid int
	build := func() (err error) {
		var so schedule.Options
		if so, uid, gid, err = e.scheduleOptions(o); err != nil {
			return err
		}
		res.User = so.User
		if res.Units, err = schedule.Units(so); err != nil {
			return err
		}
		res.Crontab, err = schedule.Crontab(so)
		return err
	}
	if o.Print {
		return res, build()
	}
	// check runs after the access check and before the lock: backup.dir
	// must exist for the lock, the audit line and ReadWritePaths=.
	check := func() error {
		if err := build(); err != nil {
			return err
		}
		if !schedule.SystemdRunning() && filepath.Clean(res.Dir) == schedule.DefaultDir {
			return ErrNoSystemd
		}
		return e.makeBackupDir(uid, gid)
	}
	err := e.do(ctx, actionSpec{action: ActionSchedule, object: res.Dir, lock: lockShared, wait: lockWait,
		holder: "schedule", prefix: "schedule install", check: check}, func(ctx context.Context, a *actionLog) (err error) {
		if err = e.makeSigningKey(uid, gid); err != nil {
			return err
		}
		if res.Written, err = schedule.Write(res.Dir, res.Units); err != nil {
			return err
		}
		a.Detail = fmt.Sprintf("%d units, nightly at %s, as %s", len(res.Units), orDefault(o.At, schedule.DefaultAt), res.User)
		if res.Systemd {
			if err = schedule.Enable(ctx, res.Units); err != nil {
				return err
			}
			res.Enabled = true
		}
		return nil
	})
	return res, err
}

// ScheduleStatus is the state of the installed jobs, from systemctl when
// systemd runs; dir "" is ScheduleDir(). None installed: an empty list.
func (e *Engine) ScheduleStatus(ctx context.Context, dir string) ([]TimerState, error) {
	if dir == "" {
		dir = schedule.Dir()
	}
	return schedule.Status(ctx, dir)
}

// SystemdRunning reports whether systemd is the init system here.
func SystemdRunning() bool { return schedule.SystemdRunning() }

// UnitExecStart is the command line a unit's ExecStart= runs.
func UnitExecStart(text string) string { return schedule.ExecStart(text) }

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// scheduleOptions fills in the config's absolute path and owner.
func (e *Engine) scheduleOptions(o ScheduleOptions) (schedule.Options, int, int, error) {
	so := schedule.Options{Binary: o.Binary, At: o.At, VerifyWeekly: o.VerifyWeekly, Binlog: o.Binlog, BackupDir: e.dir()}
	if e.Cfg.Path == "" {
		return so, 0, 0, errors.New("schedule: the config was not read from a file; pass --config FILE so the jobs can read it")
	}
	p, err := filepath.Abs(e.Cfg.Path)
	if err != nil {
		return so, 0, 0, err
	}
	so.Config = p
	st, err := os.Stat(p)
	if err != nil {
		return so, 0, 0, fmt.Errorf("schedule: %w", err)
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return so, 0, 0, fmt.Errorf("schedule: cannot tell who owns %s", p)
	}
	u, err := user.LookupId(strconv.Itoa(int(sys.Uid)))
	if err != nil {
		return so, 0, 0, fmt.Errorf("schedule: the owner (uid %d) of %s has no user name: chown it to the user the jobs should run as", sys.Uid, p)
	}
	so.User = u.Username
	return so, int(sys.Uid), int(sys.Gid), nil
}

// makeBackupDir makes backup.dir (0700) for the jobs, owned by their user
// when root makes it for another one.
func (e *Engine) makeBackupDir(uid, gid int) error {
	if _, err := os.Stat(e.dir()); err == nil {
		return nil
	}
	if err := os.MkdirAll(e.dir(), 0o700); err != nil {
		return fmt.Errorf("schedule install: backup.dir %s: %w", e.dir(), err)
	}
	if os.Getuid() == 0 && uid != 0 {
		return os.Chown(e.dir(), uid, gid)
	}
	return nil
}

// makeSigningKey makes the signing key beside the config now: the jobs
// see that directory read-only (ProtectSystem=strict) and could not.
func (e *Engine) makeSigningKey(uid, gid int) error {
	key := e.SigningKeyPath()
	_, missing := os.Stat(key)
	if _, err := e.PublicKey(); err != nil {
		return fmt.Errorf("signing key %s: %w", key, err)
	}
	if missing != nil && os.Getuid() == 0 && uid != 0 {
		return os.Chown(key, uid, gid)
	}
	return nil
}

// ScheduleSummary is what the status strip says of the scheduled jobs.
type ScheduleSummary struct {
	Systemd    bool      // systemd runs here, so the timers fire
	NextBackup time.Time // next nightly backup; zero when unknown
	Failed     []string  // services whose last scheduled run failed
}

// scheduleSummary reads the installed timers; nil when there are none.
func (e *Engine) scheduleSummary(ctx context.Context) *ScheduleSummary {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	timers, err := schedule.Status(ctx, schedule.Dir())
	if err != nil || len(timers) == 0 {
		return nil
	}
	s := &ScheduleSummary{Systemd: schedule.SystemdRunning()}
	for _, t := range timers {
		if t.Timer == schedule.BackupTimer {
			s.NextBackup = t.Next
		}
		if t.Failed {
			s.Failed = append(s.Failed, t.Service)
		}
	}
	return s
}
