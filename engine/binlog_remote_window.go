package engine

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
)

// WindowOffsite is what the remotes add to the recoverable window.
type WindowOffsite struct {
	// Files counts the window's archive files that only a remote holds
	// (the local copy is missing or damaged); On names those remotes. A
	// point-in-time restore pulls them, checked against their signed index.
	Files int
	On    []string
	// Behind is, per remote, the finished files not copied there for
	// longer than 15 minutes.
	Behind []BinlogBehind
	// Problem says which remote could not be listed ("" when all were).
	Problem string
}

// windowOffsite adds to the local archive the files only a remote holds,
// and notes in w where they are and what each remote lacks.
func (e *Engine) windowOffsite(ctx context.Context, w *RecoverableWindow, files []binlog.File) []binlog.File {
	if len(e.Cfg.Remotes) == 0 {
		return files
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	// Remote files older than the local archive serve only backups that
	// are gone here: read their indexes only when the archive is gone too.
	from := ""
	if len(files) > 0 {
		from = files[0].Name
	}
	scan := e.offsiteFiles(ctx, files, from, false)
	w.Offsite = WindowOffsite{Files: len(scan.files), On: offsiteRemotes(scan.files), Behind: scan.behind, Problem: firstOf(scan.errs)}
	return withOffsite(files, scan.files)
}

// Summary is one line about the off-site copies ("" when there is
// nothing to say): how many files of the window only a remote holds.
func (o WindowOffsite) Summary() string {
	if o.Files == 0 {
		return ""
	}
	return fmt.Sprintf("%d archive files only off-site (on %s): a restore pulls them, checked", o.Files, strings.Join(o.On, ", "))
}

// Warnings are the off-site problems of the archive, for status and check.
func (o WindowOffsite) Warnings() []string {
	var out []string
	for _, b := range o.Behind {
		out = append(out, fmt.Sprintf("%d finished binary-log archive files are not on remote %q after %s (oldest %s, finished %s ago): run lifeboat binlog sync, and check the remote",
			len(b.Files), b.Remote, binlogOffsiteGrace, b.Files[0], time.Since(b.Since).Round(time.Second)))
	}
	if o.Problem != "" {
		out = append(out, "binary-log archive off-site: "+o.Problem)
	}
	return out
}

// offsiteProblems are check's warnings about the archive's off-site copies.
func offsiteProblems(w *RecoverableWindow) []CheckProblem {
	var out []CheckProblem
	for _, s := range w.Offsite.Warnings() {
		out = append(out, CheckProblem{"binlog", CheckWarning, s})
	}
	return out
}

// binlogOffsiteMetrics adds, per remote, the finished archive files not
// copied there after the grace (0 when all are), and the window's files
// that only a remote holds.
func binlogOffsiteMetrics(o WindowOffsite, gauge gaugeFunc, remotes []string) {
	if len(remotes) == 0 {
		return
	}
	behind := gauge("binlog_archive_not_offsite_files", "Finished binary-log archive files a remote lacks 15 minutes after they were finished.", "remote")
	for _, r := range remotes {
		n := 0
		for _, b := range o.Behind {
			if b.Remote == r {
				n = len(b.Files)
			}
		}
		behind.WithLabelValues(r).Set(float64(n))
	}
	gauge("binlog_archive_offsite_only_files", "Archive files of the recoverable window that only a remote holds (the local copy is missing or damaged).").
		WithLabelValues().Set(float64(o.Files))
}
