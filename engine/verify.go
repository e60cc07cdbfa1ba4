package engine

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/verify"
)

// Verify proves backup name whole: manifest, sha256 and size, decompression
// to the end, the completion line and the INSERTed rows per table; with
// opts.Restore it also loads the backup into a throwaway MariaDB and
// compares the restored row counts. The outcome is recorded in the
// manifest, so list shows verified or corrupt.
//
// A failed check is res.OK == false with a nil error; an error means the
// verify could not run (bad name, busy directory, cancelled).
func (e *Engine) Verify(ctx context.Context, name string, opts VerifyOptions, fn progress.Func) (VerifyResult, error) {
	res := VerifyResult{Filename: name}
	if err := e.fetchIfRemoteOnly(ctx, ActionVerify, name, fn); err != nil { // only on a remote: pull it, checked
		return res, err
	}
	err := e.do(ctx, actionSpec{action: ActionVerify, progress: fn, object: name, lock: lockShared, wait: lockWait,
		holder: "verify", prefix: "verify " + name,
		check: func() error {
			if _, err := e.listed(name); err != nil {
				return fmt.Errorf("verify: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.verify(ctx, name, opts, fn)
		if err == nil && !res.OK {
			a.Result, a.Error = "failed", firstFailure(res.Checks)
		}
		return err
	})
	return res, err
}

func (e *Engine) verify(ctx context.Context, name string, opts VerifyOptions, fn progress.Func) (VerifyResult, error) {
	res := VerifyResult{Filename: name}
	en, err := e.listed(name)
	if err != nil {
		return res, fmt.Errorf("verify: %w", err)
	}

	m, mcheck := e.manifestCheck(en)
	if mcheck != nil {
		res.Checks = append(res.Checks, *mcheck)
	}
	st, serr := e.streamFor(en.Name, m)
	// Without the identity an encrypted backup is checked from outside
	// only (size, sha256, header); verify --restore needs the content.
	sealed := serr != nil && errors.Is(serr, ErrNoIdentity) && !opts.Restore
	if serr != nil && !sealed {
		return res, fmt.Errorf("verify: %w", serr)
	}
	tr := progress.Start("verify", fn, 0)
	defer tr.Finish()
	stream, err := e.streamChecks(ctx, en, m, st, sealed, tr)
	if err != nil {
		return res, err
	}
	res.Checks = append(res.Checks, stream...)
	if opts.Restore {
		e.cleanSandboxes() // the throwaway servers of killed verify --restore runs
		tr.SetBytes(0)
		ro := verify.RestoreOptions{Path: en.Path, Stream: st, Manifest: m, Tracker: tr}
		if m == nil { // a foreign file of several databases loads each under its own name (verify_parts.go)
			ro.Databases = readContents(ctx, en.Path, st).Databases
		}
		rc, err := verify.Restore(ctx, ro)
		if err != nil {
			return res, err
		}
		res.Checks = append(res.Checks, toChecks(rc)...)
	}
	res.OK = allOK(res.Checks)
	if m != nil && (!sealed || !res.OK) { // an outside-only pass proves no content: no "verified"
		m.Verify = &catalog.VerifyRecord{At: time.Now().In(e.Loc), OK: res.OK, Restore: opts.Restore,
			By: e.Who.Login, Detail: firstFailure(res.Checks)}
		if err := e.saveManifest(m); err != nil { // re-signed: the record stays covered
			return res, fmt.Errorf("verify %s: record the result: %w", name, err)
		}
	}
	return res, nil
}

// manifestCheck reads the manifest of a lifeboat backup. Foreign files
// have none and get no manifest check.
func (e *Engine) manifestCheck(en catalog.Entry) (*catalog.Manifest, *Check) {
	if !en.Ours {
		return nil, nil
	}
	m, signer, err := e.readTrusted(en.Name)
	if errors.Is(err, ErrUntrusted) { // checked as a foreign file; its record is not written
		return nil, &Check{Name: "signature", Detail: err.Error() + "; the file is checked as a foreign dump"}
	}
	if err != nil {
		detail := err.Error()
		if errors.Is(err, fs.ErrNotExist) { // wrapped with %w: os.IsNotExist would never see it
			detail = "no manifest: the backup did not finish, or its manifest was removed"
		}
		return nil, &Check{Name: "manifest", Detail: detail}
	}
	return m, &Check{Name: "manifest", OK: true, Detail: fmt.Sprintf("format %d, lifeboat %s, %d tables, %d rows, taken %s by %s, signed by %s",
		m.FormatVersion, m.ToolVersion, len(m.Tables), m.Rows, m.CreatedAt.In(e.Loc).Format("2006-01-02 15:04:05"), m.CreatedBy, e.signerLabel(signer))}
}

func (e *Engine) streamChecks(ctx context.Context, en catalog.Entry, m *catalog.Manifest, st catalog.Stream, sealed bool, tr *progress.Tracker) ([]Check, error) {
	f, err := os.OpenFile(en.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", en.Name, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil {
		tr.SetBytesTotal(st.Size())
	}
	pass := verify.Stream
	if sealed {
		pass = verify.Sealed
	}
	vo := verify.Options{Stream: st, Manifest: m, Tracker: tr, MaxAllowedPacket: e.reachableMaxPacket(ctx)}
	foreignContents(ctx, en.Path, m, st, sealed, &vo)
	rep, err := pass(ctx, f, vo)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", en.Name, err)
	}
	return toChecks(rep.Checks), nil
}

func toChecks(in []verify.Check) []Check {
	out := make([]Check, len(in))
	for i, c := range in {
		out[i] = Check{Name: c.Name, OK: c.OK, Detail: c.Detail, Info: c.Info}
	}
	return out
}

func allOK(cs []Check) bool {
	for _, c := range cs {
		if !c.OK && !c.Info {
			return false
		}
	}
	return len(cs) > 0
}

func firstFailure(cs []Check) string {
	var bad []string
	for _, c := range cs {
		if !c.OK && !c.Info {
			bad = append(bad, c.Name+": "+c.Detail)
		}
	}
	return strings.Join(bad, "; ")
}
