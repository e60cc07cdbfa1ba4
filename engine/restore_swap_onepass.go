package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The swap restore of a backup with a trusted manifest reads the file
// once. The pre-pass's checks (restore_gate.go: size and sha256 against
// the manifest, the completion line, the gate, what the server accepts)
// run in the pass that loads the copy, and decide before the swap instead
// of before the load. Nothing live changes before the swap, so a file
// that fails them changes nothing either: the copy is dropped. What needs
// no reading (the manifest's signature, the file's size and database,
// the account's privileges) is still checked first. A foreign file, and
// every in-place restore, keep the pre-pass: there the checks must come
// before the first change.

// prepare runs the checks that come before anything changes. swap says
// the restore will load into a copy; with a trusted manifest the file is
// then checked while it loads (pp.onePass).
func (e *Engine) prepare(ctx context.Context, name, path, target string, others []string, swap bool, opts RestoreOptions, fn progress.Func) (prepass, error) {
	if m, err := e.restoreManifest(name); swap && err == nil {
		pp := prepass{manifest: m, onePass: true}
		if pp.stream, err = e.streamFor(name, m); err != nil {
			return pp, err
		}
		if err := sizeProblem(name, path, m); err != nil {
			return pp, err
		}
		source := ""
		if len(m.Databases) == 1 {
			source = m.Databases[0]
		}
		if err := sourceProblem(source, target, opts); err != nil {
			return pp, fmt.Errorf("%s: %w", name, err)
		}
		return pp, e.checkRestorePrivileges(ctx, target)
	}
	pp, err := e.inspectBackup(ctx, name, path, target, others, fn)
	if err == nil {
		err = e.restoreDecisions(ctx, name, target, pp, opts)
	}
	if err == nil {
		err = e.checkRestorePrivileges(ctx, target)
	}
	return pp, err
}

// sizeProblem refuses a file whose size is not its manifest's.
func sizeProblem(name, path string, m *catalog.Manifest) error {
	st, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if st.Size() != m.Size {
		return fmt.Errorf("%s: its size is %d bytes, not the %d the manifest says: the file changed after it was written", name, st.Size(), m.Size)
	}
	return nil
}

// loadChecked loads the file into the copy shadow (its tables bound for
// final) and checks it in the same pass: the raw bytes against the
// manifest's sha256, the statements through a watcher for the completion
// line and for what the server refused. When the load fails, the error is
// the check that explains it if there is one (a changed file, a statement
// over max_allowed_packet, a definer the account may not set). onLoaded
// is told each table of the copy once it is loaded (the copy's check).
func (e *Engine) loadChecked(ctx context.Context, name, path string, pp prepass, shadow, final string, others []string, opts RestoreOptions, onLoaded func(string), fn progress.Func) (restore.Result, error) {
	tr := progress.Start("restore", fn, 0)
	defer tr.Finish()
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return restore.Result{}, err
	}
	defer f.Close()
	if err := sizeProblem(name, path, pp.manifest); err != nil {
		return restore.Result{}, err
	}
	tr.SetBytesTotal(pp.manifest.Size)
	h := sha256.New()
	raw := io.TeeReader(&countingReader{r: f, tr: tr}, h)
	zr, err := pp.stream.Reader(raw)
	if err != nil {
		if isCryptError(err) {
			return restore.Result{}, fmt.Errorf("%s: %w", name, err)
		}
		return restore.Result{}, fmt.Errorf("%s is damaged: %w", name, err)
	}
	defer zr.Close()
	w := sqlsplit.NewWatcher(catalog.CompletionPrefix)
	dr := &readErr{r: zr}
	res, err := restore.Run(ctx, restore.Options{Config: e.mysqlConfig(), Database: shadow, Final: final, StripDefiners: opts.StripDefiners,
		Others: others, OnStatement: w.Statement, OnComment: w.Comment, OnTableLoaded: onLoaded}, dr, tr)
	rep := w.Report()
	if ctx.Err() != nil {
		return res, err
	}
	if herr := hashProblem(name, raw, h, pp.manifest); herr != nil {
		return res, herr // the cause of whatever else went wrong
	}
	if dr.err != nil {
		return res, fmt.Errorf("%s is damaged or truncated: %w", name, dr.err)
	}
	if err != nil {
		if derr := e.serverDecisions(context.WithoutCancel(ctx), name, final, rep, opts); derr != nil {
			return res, fmt.Errorf("%w (the server refused: %v)", derr, err)
		}
		return res, err
	}
	pp.report = rep
	return res, completionProblem(name, pp, false)
}

// hashProblem reads the rest of the raw stream into h and compares the
// sum with the manifest's.
func hashProblem(name string, raw io.Reader, h hash.Hash, m *catalog.Manifest) error {
	if _, err := io.Copy(io.Discard, raw); err != nil {
		return fmt.Errorf("%s: read: %w", name, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != m.SHA256 {
		return fmt.Errorf("%s: sha256 %s, the manifest says %s: the file changed after it was written", name, sum, m.SHA256)
	}
	return nil
}

// readErr remembers the error of a decompressing reader other than its
// end: a damaged file, told apart from what the server refused.
type readErr struct {
	r   io.Reader
	err error
}

func (d *readErr) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		d.err = err
	}
	return n, err
}
