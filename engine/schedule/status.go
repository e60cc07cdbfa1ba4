package schedule

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// TimerState is what is known of one scheduled job.
type TimerState struct {
	Timer     string    // lifeboat-backup.timer; the follower's service for binlog
	Service   string    // the service the timer starts
	Installed bool      // its unit file is in the unit directory
	Active    string    // systemd's ActiveState of the timer ("active", "inactive"); "" without systemd
	Next      time.Time // next run; zero when unknown or not scheduled
	Last      time.Time // last run started; zero when it never ran
	Result    string    // the service's last result: "success", "exit-code", ...; "" when it never ran
	Failed    bool      // the last run failed
}

// jobs are the timers lifeboat installs, with their services.
var jobs = [][2]string{{BackupTimer, BackupService}, {CheckTimer, CheckService}, {VerifyTimer, VerifyService}, {BinlogService, BinlogService}}

// Status reads the state of lifeboat's jobs whose units are in dir; with
// systemd running and dir the one it reads, from systemctl show.
func Status(ctx context.Context, dir string) ([]TimerState, error) {
	var out []TimerState
	live := SystemdRunning() && filepath.Clean(dir) == DefaultDir
	for _, j := range jobs {
		st := TimerState{Timer: j[0], Service: j[1]}
		if _, err := os.Stat(filepath.Join(dir, j[0])); err != nil {
			continue
		}
		st.Installed = true
		if live {
			if err := showInto(ctx, &st); err != nil {
				return out, err
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// showInto fills st from `systemctl show` of the timer and its service.
func showInto(ctx context.Context, st *TimerState) error {
	t, err := show(ctx, st.Timer, "ActiveState", "NextElapseUSecRealtime", "LastTriggerUSec")
	if err != nil {
		return err
	}
	st.Active = t["ActiveState"]
	st.Next, st.Last = unixTime(t["NextElapseUSecRealtime"]), unixTime(t["LastTriggerUSec"])
	s, err := show(ctx, st.Service, "Result", "ActiveState", "ExecMainStartTimestamp")
	if err != nil {
		return err
	}
	if st.Timer == st.Service { // the follower: no timer, its start is its last run
		st.Last = unixTime(s["ExecMainStartTimestamp"])
	}
	if !st.Last.IsZero() || s["ActiveState"] == "failed" {
		st.Result = s["Result"]
	}
	st.Failed = s["ActiveState"] == "failed" || (st.Result != "" && st.Result != "success")
	return nil
}

func show(ctx context.Context, unit string, props ...string) (map[string]string, error) {
	args := []string{"show", "--timestamp=unix", unit}
	for _, p := range props {
		args = append(args, "-p", p)
	}
	b, err := exec.CommandContext(ctx, "systemctl", args...).Output()
	if err != nil {
		return nil, err
	}
	return parseShow(string(b)), nil
}

// parseShow reads systemctl show's Key=Value lines.
func parseShow(text string) map[string]string {
	m := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			m[k] = v
		}
	}
	return m
}

// unixTime reads "@1733191633" (--timestamp=unix); anything else is zero.
func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(strings.TrimPrefix(s, "@"), 10, 64)
	if err != nil || !strings.HasPrefix(s, "@") || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}
