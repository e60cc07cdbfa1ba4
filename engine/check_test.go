package engine

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine/audit"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// monEngine is an engine on a small real database with [notify] sending
// to webhook (may be "") with a short timeout.
func monEngine(t *testing.T, webhook string, on ...string) *Engine {
	t.Helper()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))", "INSERT INTO t VALUES (1,'a'),(2,'b')")
	setLocalInfile(t, d.DB, true) // as on a production MariaDB, so that OK means OK (check_infile.go)
	e := backupEngine(t, d, "gzip")
	e.Cfg.Notify = config.Notify{Webhook: webhook, On: on, Timeout: config.Duration{Duration: 300 * time.Millisecond}}
	return e
}

// hook is a loopback webhook that records every event it receives.
type hook struct {
	srv    *httptest.Server
	mu     sync.Mutex
	events []NotifyEvent
}

func newHook(t *testing.T) *hook {
	h := &hook{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev NotifyEvent
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || json.Unmarshal(body, &ev) != nil {
			http.Error(w, "bad", http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.events = append(h.events, ev)
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) got(kind string) []NotifyEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []NotifyEvent
	for _, ev := range h.events {
		if ev.Event == kind {
			out = append(out, ev)
		}
	}
	return out
}

func problem(res CheckResult, check string) *CheckProblem {
	for i := range res.Problems {
		if res.Problems[i].Check == check {
			return &res.Problems[i]
		}
	}
	return nil
}

// TestNotifyBrokenWebhookNeverFailsTheBackup: a webhook that hangs,
// answers 500 or points at a closed port: the backup succeeds, the audit
// log says why the notification failed, and check reports it.
func TestNotifyBrokenWebhookNeverFailsTheBackup(t *testing.T) {
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(release)
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer fail.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/hook"
	ln.Close()

	for _, c := range []struct{ name, url, why string }{
		{"hangs", hang.URL, "no answer within 300ms"},
		{"500", fail.URL, "500 Internal Server Error"},
		{"closed port", closed, "connection refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := monEngine(t, c.url, "success", "failure")
			ctx := context.Background()
			start := time.Now()
			res, err := e.Backup(ctx, BackupOptions{}, progress.Nop)
			if err != nil {
				t.Fatalf("backup failed because of the notification: %v", err)
			}
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("backup took %s: the notification timeout does not hold", took)
			}
			ents, _ := audit.Read(e.dir(), 0)
			var line *audit.Entry
			for i := range ents {
				if ents[i].Action == NotifyAuditAction {
					line = &ents[i]
				}
			}
			if line == nil || line.Result != "failed" || !strings.Contains(line.Error, c.why) ||
				!strings.Contains(line.Object, res.Filename) || strings.Contains(line.Error, c.url) {
				t.Fatalf("audit has no clear notify line (want %q, no URL): %+v", c.why, ents)
			}
			chk, err := e.Check(ctx, CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			p := problem(chk, "notify")
			if p == nil || chk.Status < CheckWarning || !strings.Contains(p.Message, c.why) {
				t.Fatalf("check does not report the failed notification: %+v", chk)
			}
		})
	}
}

// TestCheckStaleWarningThenCritical: the newest backup turns check
// WARNING past backup.stale_after and CRITICAL past check.critical_after;
// the clock is moved, nothing sleeps.
func TestCheckStaleWarningThenCritical(t *testing.T) {
	e := monEngine(t, "")
	e.Cfg.Backup.StaleAfter.Duration = 10 * time.Hour
	e.Cfg.Check.CriticalAfter.Duration = 30 * time.Hour
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	created := res.CreatedAt
	for _, c := range []struct {
		after time.Duration
		want  CheckStatus
	}{{time.Hour, CheckOK}, {11 * time.Hour, CheckWarning}, {29 * time.Hour, CheckWarning}, {31 * time.Hour, CheckCritical}} {
		chk, err := e.Check(ctx, CheckOptions{Now: created.Add(c.after)})
		if err != nil {
			t.Fatal(err)
		}
		if chk.Status != c.want {
			t.Errorf("%s after the backup: %s (%s), want %s", c.after, chk.Status, chk.Summary, c.want)
		}
		if c.want != CheckOK && (problem(chk, "backup_age") == nil || !strings.Contains(chk.Summary, "check the schedule")) {
			t.Errorf("%s: no backup_age problem that says what to do: %+v", c.after, chk)
		}
	}
	// Without critical_after, CRITICAL comes at twice stale_after.
	e.Cfg.Check.CriticalAfter.Duration = 0
	if chk, _ := e.Check(ctx, CheckOptions{Now: created.Add(19 * time.Hour)}); chk.Status != CheckWarning {
		t.Errorf("19h with stale_after 10h: %s, want WARNING", chk.Status)
	}
	if chk, _ := e.Check(ctx, CheckOptions{Now: created.Add(21 * time.Hour)}); chk.Status != CheckCritical {
		t.Errorf("21h with stale_after 10h: %s, want CRITICAL (2x stale_after)", chk.Status)
	}
}

// TestCheckDoneMeansWarningWhenBackupsStopAndWebhookHears: backups stop,
// check goes WARNING and the webhook receives one stale event per stale
// period, not one per run.
func TestCheckDoneMeansWarningWhenBackupsStopAndWebhookHears(t *testing.T) {
	h := newHook(t)
	e := monEngine(t, h.srv.URL)
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	if chk, _ := e.Check(ctx, CheckOptions{}); chk.Status != CheckOK || len(h.got("stale")) != 0 {
		t.Fatalf("fresh backup: %+v, stale events %d", chk, len(h.got("stale")))
	}
	stopped := res.CreatedAt.Add(27 * time.Hour) // stale_after is 26h
	chk, err := e.Check(ctx, CheckOptions{Now: stopped})
	if err != nil {
		t.Fatal(err)
	}
	if chk.Status != CheckWarning {
		t.Fatalf("backups stopped 27h ago: %s, want WARNING", chk.Status)
	}
	got := h.got("stale")
	if len(got) != 1 || got[0].Object != res.Filename || got[0].Summary != chk.Summary || got[0].Host == "" {
		t.Fatalf("webhook events %+v, want one stale event naming %s with the summary", h.events, res.Filename)
	}
	e.Check(ctx, CheckOptions{Now: stopped.Add(time.Hour)})
	if n := len(h.got("stale")); n != 1 {
		t.Errorf("a second check an hour later sent the stale event again (%d events)", n)
	}
	e.Check(ctx, CheckOptions{Now: stopped.Add(27 * time.Hour)})
	if n := len(h.got("stale")); n != 2 {
		t.Errorf("a stale period later: %d stale events, want 2", n)
	}
	fi, err := os.Stat(filepath.Join(e.dir(), notifyStateFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("notify state file: %v %v, want 0600", fi, err)
	}
}

// TestCheckFailedVerifyIsCriticalAndNotified: a damaged backup fails
// verify; check is CRITICAL and names it, the webhook hears verify_failed.
func TestCheckFailedVerifyIsCriticalAndNotified(t *testing.T) {
	h := newHook(t)
	e := monEngine(t, h.srv.URL)
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(res.Path, []byte("not gzip at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	if vr, _ := e.Verify(ctx, res.Filename, VerifyOptions{}, progress.Nop); vr.OK {
		t.Fatal("verify passed a damaged file")
	}
	chk, err := e.Check(ctx, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p := problem(chk, "failed_action")
	if chk.Status != CheckCritical || p == nil || !strings.Contains(p.Message, res.Filename) || !strings.Contains(p.Message, "take a new backup") {
		t.Fatalf("check after a failed verify: %+v", chk)
	}
	if got := h.got("verify_failed"); len(got) != 1 || got[0].Object != res.Filename || got[0].Error == "" {
		t.Fatalf("webhook events %+v, want one verify_failed for %s", h.events, res.Filename)
	}
}

// TestCheckServerDownAndLowDisk: an unreachable server is CRITICAL; free
// space below the configured multiple of the newest backup is WARNING.
func TestCheckServerDownAndLowDisk(t *testing.T) {
	e := monEngine(t, "")
	ctx := context.Background()
	if _, err := e.Backup(ctx, BackupOptions{}, progress.Nop); err != nil {
		t.Fatal(err)
	}
	e.Cfg.Check.WarnFreeBackups = 1e15 // no disk holds that many copies
	e.Cfg.Check.CriticalFreeBackups = 0.5
	chk, _ := e.Check(ctx, CheckOptions{})
	if p := problem(chk, "disk_space"); chk.Status != CheckWarning || p == nil || !strings.Contains(p.Message, "free space") {
		t.Errorf("low disk: %+v", chk)
	}
	e.Cfg.Check = config.Check{}
	down := *e.Cfg
	down.Database.Socket = filepath.Join(t.TempDir(), "no.sock")
	de, err := Open(&down)
	if err != nil {
		t.Fatal(err)
	}
	defer de.Close()
	chk, _ = de.Check(ctx, CheckOptions{})
	if p := problem(chk, "server"); chk.Status != CheckCritical || p == nil || !strings.Contains(p.Message, "start the server") {
		t.Errorf("server down: %+v", chk)
	}
}

// TestCheckQuietAutoPrune: an auto-prune that removed nothing writes no
// audit line; one that removed a file still does.
func TestCheckQuietAutoPrune(t *testing.T) {
	e := monEngine(t, "")
	e.Cfg.Backup.Keep = 1
	ctx := context.Background()
	count := func() (creates, prunes int) {
		ents, _ := audit.Read(e.dir(), 0)
		for _, en := range ents {
			switch en.Action {
			case "create":
				creates++
			case "prune":
				prunes++
			}
		}
		return
	}
	if _, err := e.Backup(ctx, BackupOptions{}, progress.Nop); err != nil {
		t.Fatal(err)
	}
	if c, p := count(); c != 1 || p != 0 {
		t.Fatalf("after one backup: %d create, %d prune lines; want 1, 0", c, p)
	}
	time.Sleep(1100 * time.Millisecond) // file names have one-second resolution
	if _, err := e.Backup(ctx, BackupOptions{}, progress.Nop); err != nil {
		t.Fatal(err)
	}
	if c, p := count(); c != 2 || p != 1 {
		t.Fatalf("after a backup that pruned one: %d create, %d prune lines; want 2, 1", c, p)
	}
}

// TestNotifyCommandGetsTheEventOnStdin: command gets the event JSON on
// stdin and nothing in argv; a failing command is an audit line that says
// what it printed, and the backup stands.
func TestNotifyCommandGetsTheEventOnStdin(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "event.json")
	script := filepath.Join(dir, "page")
	os.WriteFile(script, []byte("#!/bin/sh\n[ $# -eq 0 ] || exit 9\ncat > "+got+"\n"), 0o700)
	e := monEngine(t, "", "success")
	e.Cfg.Notify.Command = script
	ctx := context.Background()
	res, err := e.Backup(ctx, BackupOptions{}, progress.Nop)
	if err != nil {
		t.Fatal(err)
	}
	var ev NotifyEvent
	b, _ := os.ReadFile(got)
	if json.Unmarshal(b, &ev) != nil || ev.Event != "success" || ev.Action != "create" || ev.Object != res.Filename || ev.Result != "ok" ||
		!strings.Contains(ev.Summary, "newest complete backup "+res.Filename+" is ") || !strings.Contains(ev.Summary, "free") {
		t.Fatalf("command got %q", b)
	}
	os.WriteFile(script, []byte("#!/bin/sh\necho pager is down >&2\nexit 3\n"), 0o700)
	if _, err := e.Backup(ctx, BackupOptions{}, progress.Nop); err != nil {
		t.Fatalf("a failing notify command failed the backup: %v", err)
	}
	ents, _ := audit.Read(e.dir(), 0)
	if len(ents) == 0 || ents[0].Action != NotifyAuditAction || !strings.Contains(ents[0].Error, "pager is down") ||
		!strings.HasPrefix(ents[0].Error, "notification not delivered: command "+script) {
		t.Fatalf("audit: %+v", ents)
	}
}
