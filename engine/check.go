package engine

// lifeboat check: one line and a monitoring-plugin status. The checks are
// a list of small funcs (checks below); a later issue adds one each
// (remotes, the binlog archive).

import (
	"context"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
)

// CheckStatus is a monitoring-plugin status; its int is the exit code.
type CheckStatus int

// The statuses, in rising severity.
const (
	CheckOK CheckStatus = iota
	CheckWarning
	CheckCritical
	CheckUnknown
)

func (s CheckStatus) String() string {
	return [...]string{"OK", "WARNING", "CRITICAL", "UNKNOWN"}[s]
}

// CheckOptions tune a check run.
type CheckOptions struct {
	Now time.Time // the clock (zero: time.Now); tests move it
}

// CheckProblem is one thing check found, with what to do about it.
type CheckProblem struct {
	Check   string      // backup_age, failed_action, disk_space, server, notify, remote, swap_copy, binlog, local_infile
	Status  CheckStatus // WARNING or CRITICAL
	Message string
}

// CheckResult is the whole answer: the worst status and every problem.
type CheckResult struct {
	Status   CheckStatus
	Summary  string
	Problems []CheckProblem
}

// checkRun is what the checks read.
type checkRun struct {
	e    *Engine
	ctx  context.Context
	now  time.Time
	st   Status // directory facts and the newest complete backup
	last []audit.Entry
	ok   []string // short details of passed checks, for an OK summary (okDetails)
}

// checks are run in order; each returns its problems (none when fine).
var checks = []func(*checkRun) []CheckProblem{
	checkBackupAge, checkFailedActions, checkDiskSpace, checkServer, checkNotify, checkRemotes, checkSwapCopy,
	checkBinlog, // binlog_window.go
	checkLocalInfile,
}

// checkSwapCopy: WARNING when a killed swap restore left its copy
// (<db>__lifeboat_new) on the server, taking space (issue 18).
func checkSwapCopy(r *checkRun) []CheckProblem {
	if w := r.e.leftoverCopy(r.ctx); w != "" {
		return []CheckProblem{{"swap_copy", CheckWarning, w}}
	}
	return nil
}

// checkRemotes: WARNING for each [[remote]] that cannot be reached or does
// not hold the newest complete backup (status's remote warnings).
func checkRemotes(r *checkRun) []CheckProblem {
	if len(r.e.Cfg.Remotes) == 0 {
		return nil
	}
	st := Status{LastComplete: r.st.LastComplete}
	r.e.remoteStatus(r.ctx, &st)
	var out []CheckProblem
	for _, w := range st.Warnings {
		out = append(out, CheckProblem{"remote", CheckWarning, w})
	}
	return out
}

// Check runs every check. An error means check could not look at all
// (UNKNOWN); problems it found are in the result.
func (e *Engine) Check(ctx context.Context, opts CheckOptions) (CheckResult, error) {
	r := &checkRun{e: e, ctx: ctx, now: opts.Now}
	if r.now.IsZero() {
		r.now = time.Now()
	}
	r.st = Status{Dir: e.dir()}
	if fi, err := os.Stat(r.st.Dir); err == nil && fi.IsDir() {
		r.st.DirExists = true
		var fs syscall.Statfs_t
		if syscall.Statfs(r.st.Dir, &fs) == nil {
			r.st.FreeBytes = fs.Bavail * uint64(fs.Bsize)
		}
		r.last, _ = audit.Read(r.st.Dir, 1000)
	}
	entries, err := e.entries()
	if err != nil {
		return CheckResult{Status: CheckUnknown, Summary: err.Error()}, err
	}
	e.summarize(&r.st, entries)
	res := CheckResult{}
	for _, c := range checks {
		res.Problems = append(res.Problems, c(r)...)
	}
	for _, p := range res.Problems {
		res.Status = max(res.Status, p.Status)
	}
	res.Summary = r.summary(res) + okDetails(res, r.ok)
	e.notifyStale(r, res)
	return res, nil
}

func (r *checkRun) summary(res CheckResult) string {
	if len(res.Problems) == 0 {
		if r.st.LastComplete == nil {
			return "no problems"
		}
		return fmt.Sprintf("newest backup %s is %s old; %s free", r.st.LastComplete.Filename,
			shortAge(r.now.Sub(r.st.LastComplete.CreatedAt)), units.Size(r.st.FreeBytes))
	}
	msgs := make([]string, len(res.Problems))
	for i, p := range res.Problems {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// shortAge is d to the minute ("27h0m0s"), or to the second under one.
func shortAge(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return d.Round(time.Minute).String()
}

// checkBackupAge: WARNING past backup.stale_after, CRITICAL past
// check.critical_after (default twice stale_after), CRITICAL with none.
func checkBackupAge(r *checkRun) []CheckProblem {
	lc := r.st.LastComplete
	if lc == nil {
		return []CheckProblem{{"backup_age", CheckCritical, "there is no complete backup in " + r.st.Dir + ": take one with `lifeboat backup` and schedule it"}}
	}
	age := r.now.Sub(lc.CreatedAt)
	stale, critical := r.e.Cfg.StaleAge(), r.e.Cfg.CriticalAge()
	status := CheckOK
	switch {
	case age > critical:
		status = CheckCritical
	case age > stale:
		status = CheckWarning
	default:
		return nil
	}
	return []CheckProblem{{"backup_age", status, fmt.Sprintf("newest complete backup %s is %s old (warning after %s, critical after %s): backups have stopped, check the schedule and `lifeboat backup`",
		lc.Filename, shortAge(age), stale, critical)}}
}

// checkFailedActions: the newest backup (create) or verify in the audit
// log failed. A failed verify is CRITICAL (a backup is damaged), a failed
// backup WARNING (the age check escalates when none follows).
func checkFailedActions(r *checkRun) []CheckProblem {
	var out []CheckProblem
	for _, a := range []struct {
		action Action
		status CheckStatus
		todo   string
	}{
		{ActionCreate, CheckWarning, "run `lifeboat backup` by hand to see the error, and fix it"},
		{ActionVerify, CheckCritical, "that backup may not restore: run `lifeboat verify` on it and take a new backup"},
	} {
		for _, en := range r.last { // newest first
			if en.Action != string(a.action) || en.Result == "refused" || en.Result == "cancelled" {
				continue
			}
			if en.Result != "ok" {
				out = append(out, CheckProblem{"failed_action", a.status, fmt.Sprintf("the last %s (%s, %s) failed: %s: %s",
					a.action, en.Object, en.Time.In(r.e.Loc).Format("2006-01-02 15:04"), en.Error, a.todo)})
			}
			break
		}
	}
	return out
}

// checkDiskSpace: free space in backup.dir against the newest backup's
// size: WARNING below check.warn_free_backups copies (2), CRITICAL below
// check.critical_free_backups (1).
func checkDiskSpace(r *checkRun) []CheckProblem {
	if !r.st.DirExists || r.st.Newest == nil || r.st.Newest.Size <= 0 {
		return nil
	}
	warn, crit := r.e.Cfg.FreeThresholds()
	free, size := float64(r.st.FreeBytes), float64(r.st.Newest.Size)
	status := CheckOK
	switch {
	case free < crit*size:
		status = CheckCritical
	case free < warn*size:
		status = CheckWarning
	default:
		return nil
	}
	return []CheckProblem{{"disk_space", status, fmt.Sprintf("only %s free in %s for backups of %s (warning below %g, critical below %g copies): free space or move backup.dir",
		units.Size(r.st.FreeBytes), r.st.Dir, units.Size(uint64(r.st.Newest.Size)), warn, crit)}}
}

// checkServer: the server answers within a few seconds (CRITICAL if not:
// no backup can run).
func checkServer(r *checkRun) []CheckProblem {
	ctx, cancel := context.WithTimeout(r.ctx, 3*time.Second)
	defer cancel()
	if _, err := r.e.Ping(ctx); err != nil {
		return []CheckProblem{{"server", CheckCritical, err.Error() + ": start the server or fix [database]"}}
	}
	return nil
}

// checkNotify: a notification failed and none has been delivered since.
func checkNotify(r *checkRun) []CheckProblem {
	okAt := r.e.readNotifyState().LastOK
	for _, en := range r.last {
		if en.Action != NotifyAuditAction {
			continue
		}
		if en.Result == "failed" && en.Time.After(okAt) {
			return []CheckProblem{{"notify", CheckWarning, fmt.Sprintf("the %s notification at %s failed: %s: fix [notify] so that alerts arrive",
				en.Object, en.Time.In(r.e.Loc).Format("2006-01-02 15:04"), en.Error)}}
		}
		break
	}
	return nil
}

// notifyStale sends the stale event once per stale period: again only
// when stale_after has passed since it was last sent for this backup.
func (e *Engine) notifyStale(r *checkRun, res CheckResult) {
	if !e.Cfg.Notify.Wants("stale") || !hasCheck(res, "backup_age") {
		return
	}
	s := e.readNotifyState()
	newest := ""
	if r.st.LastComplete != nil {
		newest = r.st.LastComplete.Filename
	}
	if s.StaleBackup == newest && !s.StaleSent.IsZero() && r.now.Sub(s.StaleSent) < e.Cfg.StaleAge() {
		return
	}
	host, _ := os.Hostname()
	e.sendNotice(NotifyEvent{Event: "stale", Action: "check", Object: newest, Result: res.Status.String(),
		Host: host, Time: r.now, Summary: res.Summary})
	e.rememberNotify(func(s *notifyState) { s.StaleSent, s.StaleBackup = r.now, newest })
}

func hasCheck(res CheckResult, name string) bool {
	for _, p := range res.Problems {
		if p.Check == name {
			return true
		}
	}
	return false
}
