package engine

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// RecoverableWindow is the span a point-in-time restore can reach: from
// the oldest backup the archive continues, to the archive's last event,
// split by gaps (missing or damaged files, files purged before archiving).
type RecoverableWindow struct {
	From, To time.Time
	Base     string // the oldest backup the window starts from
	Gaps     []binlog.Gap
	// Lag is how far the archive is behind the server (0 when it holds the
	// server's current file whole, or when the server did not answer).
	Lag time.Duration
	// Problem says why there is no window at all ("" when there is one).
	Problem string
	// Server is why the server's logs could not be compared with the
	// archive ("" when they were): no privilege, no binary log, no answer.
	Server string
	// Offsite says what the remotes add (binlog_remote_window.go).
	Offsite WindowOffsite
}

// BinlogGap is a stretch of the window the archive cannot replay.
type BinlogGap = binlog.Gap

// RecoverableWindow computes the window; nil without [binlog] archive.
// With hash each archive file's sha256 is checked (check, restore), else
// only its size (status).
func (e *Engine) RecoverableWindow(ctx context.Context, hash bool) (*RecoverableWindow, error) {
	if !e.Cfg.Binlog.Archive {
		return nil, nil
	}
	w := &RecoverableWindow{}
	files, err := binlog.Files(e.binlogDir())
	if err != nil {
		return nil, err
	}
	files = e.windowOffsite(ctx, w, files) // files only a remote holds count too
	if len(files) == 0 {
		w.Problem = "the archive is empty: run lifeboat binlog sync (or schedule install --binlog)"
		if _, why := e.archiveLag(ctx, []binlog.File{{}}); why != "" {
			w.Problem += "; " + why
		}
		return w, nil
	}
	entries, err := e.entries()
	if err != nil {
		return nil, err
	}
	first := binlog.Number(files[0].Name)
	var baseFile string
	for _, en := range slices.Backward(entries) { // oldest first
		m := en.Manifest
		if catalog.Prunable(en) && en.Scope() == e.scope() && m != nil && m.Binlog != nil && binlog.Number(m.Binlog.File) >= first {
			w.Base, w.From, baseFile = en.Name, m.CreatedAt, m.Binlog.File
			break
		}
	}
	if w.Base == "" && len(e.Cfg.Remotes) > 0 { // after a disk loss: a remote's backup
		w.Base, w.From, baseFile = e.offsiteWindowBase(ctx, first)
	}
	if w.Base == "" {
		w.Problem = fmt.Sprintf("no backup of %s starts inside the archive (it begins at %s): take a backup", e.Cfg.Database.Name, files[0].Name)
		return w, nil
	}
	chain := binlog.Check(files, baseFile, hash)
	w.To, w.Gaps = chain.End, chain.Gaps
	w.Lag, w.Server = e.archiveLag(ctx, files)
	return w, nil
}

// archiveLag compares the archive's newest file with the server's current
// one; when the server cannot be asked it says why.
func (e *Engine) archiveLag(ctx context.Context, files []binlog.File) (time.Duration, string) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	logs, err := binlog.ServerLogs(ctx, e.db)
	if err != nil {
		return 0, err.Error()
	}
	cur := logs[len(logs)-1]
	last := files[len(files)-1]
	if last.Name == cur.Name && last.Size >= cur.Size {
		return 0, ""
	}
	return time.Since(last.MTime), ""
}

// checkBinlog: WARNING when the archive lags the server by more than a
// minute, has a gap, or no backup starts inside it.
func checkBinlog(r *checkRun) []CheckProblem {
	w, err := r.e.RecoverableWindow(r.ctx, true)
	if err != nil {
		return []CheckProblem{{"binlog", CheckWarning, "binary-log archive: " + err.Error()}}
	}
	if w == nil {
		return nil
	}
	var out []CheckProblem
	if w.Problem != "" {
		out = append(out, CheckProblem{"binlog", CheckWarning, "no recoverable window: " + w.Problem})
	}
	for _, g := range w.Gaps {
		out = append(out, CheckProblem{"binlog", CheckWarning, "gap in the binary-log archive: " + g.Reason})
	}
	out = append(out, offsiteProblems(w)...) // binlog_remote_window.go
	if w.Server != "" {
		out = append(out, CheckProblem{"binlog", CheckWarning, "binary-log archive: cannot compare with the server: " + w.Server})
	}
	if w.Lag > time.Minute {
		out = append(out, CheckProblem{"binlog", CheckWarning, fmt.Sprintf("the binary-log archive lags the server by %s: is lifeboat binlog sync --follow running?", w.Lag.Round(time.Second))})
	}
	return out
}
