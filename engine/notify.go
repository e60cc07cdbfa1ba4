package engine

// Notifications ([notify]): at the end of every action the envelope's
// notify hook (action.go) hands the audit entry here; the event goes to
// the webhook (POST of JSON) and/or the command (JSON on stdin, never in
// argv), each with a short timeout and one retry. A notification that
// fails never fails the action: it becomes an audit line of its own.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// NotifyEvent is the JSON a webhook or command receives.
type NotifyEvent struct {
	Event   string    `json:"event"` // failure, stale, verify_failed, success
	Action  string    `json:"action"`
	Object  string    `json:"object"`
	Result  string    `json:"result"`
	Error   string    `json:"error,omitempty"`
	Host    string    `json:"host"`
	Time    time.Time `json:"time"`
	Summary string    `json:"summary,omitempty"` // the check summary (stale), else the backups' state
}

// notifyKind is the [notify] on value an action's audit entry raises, or "".
func notifyKind(en audit.Entry) string {
	failed := en.Result == "failed" || en.Result == "rolled_back"
	switch {
	case failed && (en.Action == string(ActionVerify) || en.Action == string(ActionProjectVerify)):
		return "verify_failed"
	case failed:
		return "failure"
	case en.Result == "ok":
		return "success"
	}
	return ""
}

// eventOf builds the event of an action's audit entry.
func eventOf(kind string, en audit.Entry) NotifyEvent {
	host, _ := os.Hostname()
	return NotifyEvent{Event: kind, Action: en.Action, Object: en.Object, Result: en.Result,
		Error: en.Error, Host: host, Time: en.Time}
}

// deliver sends ev to every configured target; the error says which
// failed and why (never the webhook URL, which often holds a token).
func (e *Engine) deliver(ev NotifyEvent) error {
	n := e.Cfg.Notify
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	var errs []error
	if n.Webhook != "" {
		if err := retryOnce(func() error { return postWebhook(n.Webhook, body, n.AttemptTimeout()) }); err != nil {
			errs = append(errs, fmt.Errorf("webhook (notify.webhook): %w", err))
		}
	}
	if n.Command != "" {
		if err := retryOnce(func() error { return runNotifyCommand(n.Command, body, n.AttemptTimeout()) }); err != nil {
			errs = append(errs, fmt.Errorf("command %s: %w", n.Command, err))
		}
	}
	err = errors.Join(errs...)
	if err == nil {
		e.rememberNotify(func(s *notifyState) { s.LastOK = time.Now() })
	}
	return err
}

// retryOnce runs f, and once more after a short pause when it fails.
func retryOnce(f func() error) error {
	if err := f(); err == nil {
		return nil
	}
	time.Sleep(500 * time.Millisecond)
	return f()
}

func postWebhook(url string, body []byte, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return errors.New("bad URL: fix notify.webhook")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var ue interface{ Unwrap() error }
		if errors.As(err, &ue) && ue.Unwrap() != nil {
			err = ue.Unwrap() // drop the URL the client puts in front
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("no answer within %s: is the service up?", timeout)
		}
		return fmt.Errorf("%v: is the service reachable from this host?", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("the service answered %s: check the URL and the service", resp.Status)
	}
	return nil
}

func runNotifyCommand(path string, body []byte, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	cmd.Stdin = bytes.NewReader(body)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("did not finish within %s", timeout)
		}
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200]
		}
		if msg != "" {
			return fmt.Errorf("%v: %s", err, msg)
		}
		return err
	}
	return nil
}

// notifyState is what lifeboat remembers between runs about notifications,
// in backup.dir (0600): when the stale event was last sent, and the last
// delivery that worked (so check can tell a failure is over).
type notifyState struct {
	StaleSent   time.Time `json:"stale_sent,omitempty"`
	StaleBackup string    `json:"stale_backup,omitempty"` // the newest backup when it was sent
	LastOK      time.Time `json:"last_ok,omitempty"`
}

const notifyStateFile = ".lifeboat-notify.json"

func (e *Engine) readNotifyState() notifyState {
	var s notifyState
	if b, err := os.ReadFile(filepath.Join(e.dir(), notifyStateFile)); err == nil {
		_ = json.Unmarshal(b, &s)
	}
	return s
}

// rememberNotify updates the state file; best effort, like the audit log.
func (e *Engine) rememberNotify(change func(*notifyState)) {
	if fi, err := os.Stat(e.dir()); err != nil || !fi.IsDir() {
		return
	}
	s := e.readNotifyState()
	change(&s)
	b, err := json.Marshal(s)
	if err != nil {
		return
	}
	_ = safefile.WriteFile(e.dir(), notifyStateFile, b)
}

// NotifyAuditAction is the audit action of a notification that failed.
const NotifyAuditAction = "notify"

// backupSummary is the short state an action's event carries: the newest
// complete backup, its age, and the free space (no server round trip, so a
// notification about a failure never waits on the server that failed).
func (e *Engine) backupSummary() string {
	st := Status{Dir: e.dir()}
	entries, err := e.entries()
	if err != nil {
		return "backup.dir cannot be listed: " + err.Error()
	}
	e.summarize(&st, entries)
	var fs syscall.Statfs_t
	free := ""
	if syscall.Statfs(st.Dir, &fs) == nil {
		free = "; " + units.Size(fs.Bavail*uint64(fs.Bsize)) + " free"
	}
	if st.LastComplete == nil {
		return "no complete backup in " + st.Dir + free
	}
	return fmt.Sprintf("newest complete backup %s is %s old%s", st.LastComplete.Filename, shortAge(time.Since(st.LastComplete.CreatedAt)), free)
}
