package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/verify"
)

// maxManifestBytes bounds what VerifyFile reads as a manifest: a real one
// is a few KiB; a huge "manifest" is not read into memory.
const maxManifestBytes = 16 << 20

// VerifyFile checks a copy of a backup outside backup.dir (`lifeboat
// verify --file PATH [--manifest PATH]`, issue 13 item 17): the same checks
// as Verify, against the manifest at manifestPath (default PATH.json).
// Here the names are paths by design; the file is still untrusted input:
// it must be a regular file, its manifest must be signed by this host or a
// trusted key for the result to pass, and nothing is written or restored.
func (e *Engine) VerifyFile(ctx context.Context, path, manifestPath string, fn progress.Func) (VerifyResult, error) {
	if manifestPath == "" {
		manifestPath = path + ".json"
	}
	res := VerifyResult{Filename: path}
	err := e.do(ctx, actionSpec{action: ActionVerify, progress: fn, object: path, detail: "copy outside backup.dir, manifest " + manifestPath,
		lock: lockNone, wait: 0, holder: "verify", prefix: "verify " + path, // a copy outside backup.dir: no directory lock
		check: func() error { return regularFile(path) },
	}, func(ctx context.Context, a *actionLog) (err error) {
		res, err = e.verifyFile(ctx, path, manifestPath, fn)
		if err == nil && !res.OK {
			a.Result, a.Error = "failed", firstFailure(res.Checks)
		}
		return err
	})
	return res, err
}

func (e *Engine) verifyFile(ctx context.Context, path, manifestPath string, fn progress.Func) (VerifyResult, error) {
	res := VerifyResult{Filename: path}
	m, checks := e.fileManifest(path, manifestPath)
	res.Checks = append(res.Checks, checks...)
	f, err := os.Open(path)
	if err != nil {
		return res, fmt.Errorf("verify %s: %w", path, err)
	}
	defer f.Close()
	tr := progress.Start("verify", fn, 0)
	defer tr.Finish()
	if st, err := f.Stat(); err == nil {
		tr.SetBytesTotal(st.Size())
	}
	st, serr := e.streamFor(filepath.Base(path), m)
	sealed := serr != nil && errors.Is(serr, ErrNoIdentity) // an encrypted copy without the key: outside only
	if serr != nil && !sealed {
		return res, fmt.Errorf("verify: %w", serr)
	}
	pass := verify.Stream
	if sealed {
		pass = verify.Sealed
	}
	vo := verify.Options{Stream: st, Manifest: m, Tracker: tr, MaxAllowedPacket: e.reachableMaxPacket(ctx)}
	foreignContents(ctx, path, m, st, sealed, &vo)
	rep, err := pass(ctx, f, vo)
	if err != nil {
		return res, fmt.Errorf("verify %s: %w", path, err)
	}
	res.Checks = append(res.Checks, toChecks(rep.Checks)...)
	res.OK = allOK(res.Checks)
	return res, nil
}

// fileManifest reads and checks the manifest of a copy: valid, signed by
// this host or a trusted key. A manifest that fails is reported as a failed
// check and the file is then checked as a foreign dump (nil manifest).
func (e *Engine) fileManifest(path, manifestPath string) (*catalog.Manifest, []Check) {
	fail := func(detail string) (*catalog.Manifest, []Check) {
		return nil, []Check{{Name: "manifest", Detail: detail + "; the file is checked as a foreign dump"}}
	}
	b, err := readBounded(manifestPath, maxManifestBytes)
	if err != nil {
		return fail(fmt.Sprintf("manifest %s: %v (give it with --manifest, e.g. from `lifeboat cat NAME --manifest`)", manifestPath, err))
	}
	var head struct {
		Filename string `json:"filename"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return fail(fmt.Sprintf("manifest %s is not valid JSON: %v", manifestPath, err))
	}
	m, err := catalog.ParseManifest(head.Filename, b)
	if err != nil {
		return fail(err.Error())
	}
	if err := catalog.CheckName(m.Filename); err != nil {
		return fail(fmt.Sprintf("manifest %s names %q, not a backup file name", manifestPath, m.Filename))
	}
	t, terr := e.trust()
	if t == nil {
		return fail(fmt.Sprintf("no key to check the signature with: %v", terr))
	}
	signer, err := t.Verify(b)
	if err != nil {
		return fail(fmt.Sprintf("manifest %s: %v (add the signing host's key to backup.trusted_keys)", manifestPath, err))
	}
	checks := []Check{{Name: "manifest", OK: true, Detail: fmt.Sprintf("%s: format %d, lifeboat %s, %d tables, %d rows, taken %s by %s, signed by %s",
		m.Filename, m.FormatVersion, m.ToolVersion, len(m.Tables), m.Rows, m.CreatedAt.In(e.Loc).Format("2006-01-02 15:04:05"), m.CreatedBy, e.signerLabel(signer))}}
	if base := filepath.Base(path); base != m.Filename {
		checks = append(checks, Check{Name: "file name", Info: true, Detail: fmt.Sprintf("the copy is named %s; the manifest describes %s", base, m.Filename)})
	}
	return m, checks
}

// regularFile refuses what verify --file must not read: a directory, a
// FIFO or a device (which would never end).
func regularFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("verify --file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("verify --file %s: not a regular file (%s)", path, st.Mode().Type())
	}
	return nil
}

func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("larger than %d bytes: not a manifest", max)
	}
	return b, nil
}
