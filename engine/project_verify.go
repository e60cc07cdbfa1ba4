package engine

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// ProjectVerifyResult is what `project verify ID NAME` found.
type ProjectVerifyResult struct {
	Filename string
	OK       bool
	Checks   []Check
}

// ProjectVerify proves backup name of project id whole: its manifest,
// size and sha256, a full decode of the JSON, and the row counts against
// the metadata. It reads the file only; the database is not touched. A
// damaged file is a result with OK false, not an error.
func (e *Engine) ProjectVerify(ctx context.Context, id, name string) (ProjectVerifyResult, error) {
	var res ProjectVerifyResult
	if err := e.fetchProjectIfRemoteOnly(ctx, ActionProjectVerify, id, name, nil); err != nil { // only on a remote: pull it, checked
		return res, err
	}
	err := e.do(ctx, actionSpec{action: ActionProjectVerify, object: name, detail: "project " + id,
		lock: lockShared, wait: lockWait, holder: "project verify", prefix: "verify " + name,
		check: func() error {
			_, err := e.projectFile(id, name)
			return err
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.projectVerify(ctx, id, name)
		if err == nil && !res.OK {
			last := res.Checks[len(res.Checks)-1]
			a.Result, a.Error = "failed", fmt.Sprintf("verify %s: check %s failed: %s", name, last.Name, last.Detail)
		}
		return err
	})
	return res, err
}

func (e *Engine) projectVerify(ctx context.Context, id, name string) (ProjectVerifyResult, error) {
	res := ProjectVerifyResult{Filename: name}
	e.repairProjectTriggers(ctx)
	path, err := e.projectFile(id, name)
	if err != nil {
		return res, err
	}
	res.OK = true
	for _, c := range project.Verify(filepath.Dir(path), name, id, e.seal(), e.projectVerifyOpen(name)) {
		res.Checks = append(res.Checks, Check{Name: c.Name, OK: c.OK, Detail: c.Detail, Info: c.Info})
		res.OK = res.OK && (c.OK || c.Info)
	}
	return res, ctx.Err()
}

// newestComplete is the newest backup that has its manifest (files are
// newest first).
func newestComplete(files []catalog.ProjectFile) *catalog.ProjectFile {
	for i := range files {
		if files[i].State == catalog.StateComplete {
			return &files[i]
		}
	}
	return nil
}
