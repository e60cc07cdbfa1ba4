package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// cmdSchedule is `lifeboat schedule install|status`.
func cmdSchedule(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageErr("usage: lifeboat schedule install [--at HH:MM] [--verify-weekly] [--binlog] [--print] | schedule status [--json]")
	}
	switch args[0] {
	case "install":
		return scheduleInstall(ctx, e, args[1:])
	case "status":
		return scheduleStatus(ctx, e, args[1:])
	}
	return usageErr("unknown schedule command %q: use install or status", args[0])
}

func scheduleInstall(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("schedule install", flag.ContinueOnError)
	at := fs.String("at", "02:00", "time of the nightly backup, HH:MM (a random delay of up to 15 min is added)")
	weekly := fs.Bool("verify-weekly", false, "also verify --restore the newest backup every Sunday")
	binlog := fs.Bool("binlog", false, "also run binlog sync --follow as a service (needs [binlog] archive = true)")
	printOnly := fs.Bool("print", false, "show the units (crontab lines without systemd); install nothing")
	dir := fs.String("dir", "", "write the units here instead of "+engine.ScheduleDir()+" (systemctl is then not run)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := engine.CheckScheduleTime(*at); err != nil {
		return usageErr("schedule install: %v", err)
	}
	if *binlog && !e.eng.Cfg.Binlog.Archive {
		return usageErr("schedule install --binlog: the config has no [binlog] archive = true, so the follower would fail at every start; set it first, or install without --binlog")
	}
	bin, err := os.Executable()
	if err == nil {
		bin, err = filepath.EvalSymlinks(bin)
	}
	if err != nil {
		return fmt.Errorf("schedule: cannot find the lifeboat binary: %w", err)
	}
	res, err := e.eng.InstallSchedule(ctx, engine.ScheduleOptions{Binary: bin, At: *at, VerifyWeekly: *weekly,
		Binlog: *binlog, Dir: *dir, Print: *printOnly})
	if errors.Is(err, engine.ErrNoSystemd) && !e.json {
		printLines(e, res.Crontab)
	}
	if err != nil {
		return err
	}
	if *printOnly {
		if !res.Systemd && *dir == "" {
			printLines(e, res.Crontab)
			e.say("systemd is not running here: these are the crontab lines for /etc/cron.d/lifeboat")
			return nil
		}
		for _, u := range res.Units {
			safef(e.stdout, "# %s\n", filepath.Join(res.Dir, u.Name))
			printLines(e, u.Text+"\n")
		}
		return nil
	}
	if e.json {
		return e.printJSON(scheduleInstallReply{Success: true, Message: "schedule installed", Written: orEmpty(res.Written),
			Enabled: res.Enabled, User: res.User})
	}
	for _, p := range res.Written {
		safef(e.stdout, "wrote %s\n", p)
	}
	if res.Enabled {
		e.say("timers enabled: the nightly backup runs at %s as %s; see lifeboat schedule status", *at, res.User)
	} else {
		e.say("units written to %s as %s; systemctl was not run for that directory", res.Dir, res.User)
	}
	return nil
}

func scheduleStatus(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("schedule status", flag.ContinueOnError)
	dir := fs.String("dir", "", "read the units from here instead of "+engine.ScheduleDir())
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	timers, err := e.eng.ScheduleStatus(ctx, *dir)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(scheduleStatusOf(timers))
	}
	if len(timers) == 0 {
		why := ""
		if !engine.SystemdRunning() {
			why = " (systemd is not running here)"
		}
		e.say("no lifeboat timers installed%s: lifeboat schedule install sets them up", why)
		return nil
	}
	for _, t := range timers {
		safef(e.stdout, "%-24s next %-20s last %-20s %s\n", t.Timer, when(t.Next, e.eng.Loc), when(t.Last, e.eng.Loc), resultText(t))
	}
	return nil
}

func when(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

func resultText(t engine.TimerState) string {
	switch {
	case t.Failed:
		return "FAILED (" + t.Result + "): journalctl -u " + t.Service
	case t.Result != "":
		return t.Result
	case !engine.SystemdRunning():
		return "not running: systemd is not running here"
	}
	return "never ran"
}

func hasCommand(name string) bool {
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}

// newestArg puts the newest backup's name in pos for verify --newest.
func newestArg(ctx context.Context, e *env, newest bool, pos []string) ([]string, error) {
	if !newest {
		return pos, nil
	}
	if len(pos) != 0 {
		return nil, usageErr("verify: give NAME or --newest, not both")
	}
	name, err := e.eng.NewestBackup(ctx)
	if err != nil {
		return nil, err
	}
	return []string{name}, nil
}

// printLines writes text line by line: safef shows a newline inside one
// value as an escape, and these texts are many lines.
func printLines(e *env, text string) {
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		safef(e.stdout, "%s\n", l)
	}
}
