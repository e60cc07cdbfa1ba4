package engine

// A point-in-time restore after a disk loss (issue 15 with issue 20): the
// archive files the replay needs and the local archive lacks are pulled
// from a remote, each checked against its signed index (the object's size
// and sha256, and after decryption the file's), before they get their name
// in <backup.dir>/binlog/. A base backup only a remote holds is pulled as
// restore pulls one.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/crypt"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// replayFiles is the archive from file start on, for a replay: the local
// files, plus those only a remote holds (or whose local copy's sha256 is
// wrong), pulled and checked now. Without the right to restore nothing is
// pulled (the restore refuses anyway).
func (e *Engine) replayFiles(ctx context.Context, start string) ([]binlog.File, error) {
	return e.pullArchive(ctx, ActionRestore, start, true, "for a point-in-time restore")
}

// eventFiles is the archive for binlog events: the local files, plus
// those only a remote holds from the local archive's first file on (all
// of them when the archive is gone), pulled and checked, so that the bad
// statement can be found after a disk loss. It needs the right to pull.
func (e *Engine) eventFiles(ctx context.Context) ([]binlog.File, error) {
	local, err := binlog.Files(e.binlogDir())
	if err != nil || len(e.Cfg.Remotes) == 0 {
		return local, err
	}
	from := ""
	if len(local) > 0 {
		from = local[0].Name
	}
	return e.pullArchive(ctx, ActionPull, from, false, "for binlog events")
}

// pullArchive pulls the archive files from start on that the local
// archive lacks whole (with hash, also those whose sha256 is wrong) from
// the remotes, if the user may do action, and lists the archive.
func (e *Engine) pullArchive(ctx context.Context, action Action, start string, hash bool, why string) ([]binlog.File, error) {
	local, err := binlog.Files(e.binlogDir())
	if err != nil || len(e.Cfg.Remotes) == 0 || e.Allowed(action) != nil {
		return local, err
	}
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second) // a remote that hangs must not hold binlog events
	scan := e.offsiteFiles(sctx, local, start, hash)
	cancel()
	if len(scan.files) == 0 {
		return local, nil
	}
	names := make([]string, 0, len(scan.files))
	for n := range scan.files {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return int(binlog.Number(a) - binlog.Number(b)) })
	todo := make([]binlog.File, len(names))
	for i, n := range names {
		todo[i] = scan.files[n].file()
	}
	err = e.nested(ctx, ActionPull, binlogObject(todo), why+", from remote "+strings.Join(offsiteRemotes(scan.files), ", "),
		func(ctx context.Context, a *actionLog) error {
			if err := os.MkdirAll(e.binlogDir(), 0o700); err != nil {
				return fmt.Errorf("pull binlog: %w", safefile.Explain(err, e.binlogDir()))
			}
			for _, n := range names {
				if err := e.pullBinlogFile(ctx, scan.files[n]); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return binlog.Files(e.binlogDir())
}

// pullBinlogFile fetches one off-site file into the local archive. A local
// copy that is unfinished or damaged is kept beside it, renamed.
func (e *Engine) pullBinlogFile(ctx context.Context, o offsiteFile) error {
	ix := o.index
	dir, name := e.binlogDir(), ix.File
	if !binlog.ValidName(name) {
		return fmt.Errorf("remote %q: %q is not a binary log file name; lifeboat refuses names that are paths", o.store.Name, name)
	}
	if !ix.Encrypted && (ix.ObjectSize != ix.Size || ix.ObjectSHA256 != ix.SHA256) {
		return fmt.Errorf("remote %q: the index of binlog %s describes two different files: it is not used", o.store.Name, name)
	}
	if err := setAside(dir, name); err != nil {
		return err
	}
	out, err := safefile.Create(dir, name)
	if err != nil {
		return fmt.Errorf("pull binlog %s: %w", name, err)
	}
	defer out.Abort() // after Commit it does nothing
	h := sha256.New()
	w := io.MultiWriter(out, h)
	if ix.Encrypted {
		err = e.fetchDecrypted(ctx, o, w)
	} else {
		err = fetchObject(ctx, o.store, binlogKey(name), ix.ObjectSize, ix.ObjectSHA256, w)
	}
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != ix.SHA256 {
		return fmt.Errorf("remote %q: binlog %s: sha256 mismatch: it decrypts to sha256 %s, its index says %s: it is refused", o.store.Name, name, got, ix.SHA256)
	}
	if err := out.Commit(); err != nil {
		return fmt.Errorf("pull binlog %s: %w", name, err)
	}
	b, _ := json.MarshalIndent(ix.Index, "", "  ")
	if err := safefile.WriteFile(dir, name+binlog.IndexSuffix, append(b, '\n')); err != nil {
		_ = os.Remove(filepath.Join(dir, name))
		return fmt.Errorf("pull binlog %s: write its index: %w", name, err)
	}
	return nil
}

// setAside renames a local file (and its index) that a pulled copy
// replaces, so nothing is deleted: <name>.replaced-<unix time>.
func setAside(dir, name string) error {
	suffix := ".replaced-" + strconv.FormatInt(time.Now().Unix(), 10)
	for _, n := range []string{name + binlog.IndexSuffix, name} {
		p := filepath.Join(dir, n)
		if _, err := os.Lstat(p); err == nil {
			if err := os.Rename(p, p+suffix); err != nil {
				return fmt.Errorf("pull binlog %s: set the local copy aside: %w", name, err)
			}
		}
	}
	return nil
}

// fetchDecrypted downloads an encrypted object into a temp file, checked
// against the object's size and sha256, then decrypts it into w.
func (e *Engine) fetchDecrypted(ctx context.Context, o offsiteFile, w io.Writer) error {
	name := o.index.File
	ids, err := e.identities()
	if err == nil && len(ids) == 0 {
		err = fmt.Errorf("set encryption.identity_file to the identity that opens it: %w", ErrNoIdentity)
	}
	if err != nil {
		return fmt.Errorf("remote %q: binlog %s is encrypted: %w", o.store.Name, name, err)
	}
	tmp, err := os.CreateTemp(e.binlogDir(), ".pull-"+name+"-*.partial")
	if err != nil {
		return fmt.Errorf("pull binlog %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := fetchObject(ctx, o.store, binlogKey(name), o.index.ObjectSize, o.index.ObjectSHA256, tmp); err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r, err := crypt.Decrypt(tmp, ids, e.Cfg.IdentityPath())
	if err != nil {
		return fmt.Errorf("remote %q: binlog %s: %w", o.store.Name, name, err)
	}
	if _, err := io.Copy(w, ctxReader{ctx, r}); err != nil {
		return fmt.Errorf("remote %q: binlog %s: decrypt: %w", o.store.Name, name, err)
	}
	return nil
}

// offsitePointBase is, for a restore to a point with no backup named
// after a disk loss, the base the remotes give: for --until-gtid and
// --until-position the archive they hold is pulled first (the stop is
// looked up in it), and a local backup before the stop then wins;
// otherwise the newest backup a remote holds of this database whose
// snapshot is before the stop, pulled (checked) into backup.dir. "" when
// there is none.
func (e *Engine) offsitePointBase(ctx context.Context, opts PointOptions) string {
	stopFile, stopPos := "", uint64(0)
	if opts.At.IsZero() {
		if _, err := e.replayFiles(ctx, ""); err != nil {
			return ""
		}
		if m, err := e.pointBase(ctx, "", opts); err == nil {
			return m.Filename
		}
		var err error
		if stopFile, stopPos, err = e.stopCoordinates(ctx, opts); err != nil {
			return ""
		}
	}
	for _, r := range e.Cfg.Remotes {
		entries, _, err := e.remoteEntries(ctx, r)
		if err != nil {
			continue
		}
		for _, en := range entries { // newest first
			m := en.Manifest
			if !catalog.Prunable(en) || en.Scope() != e.scope() || m == nil || m.Binlog == nil || len(m.Databases) != 1 || !baseBefore(m, opts, stopFile, stopPos) {
				continue
			}
			if e.fetchIfRemoteOnly(ctx, ActionRestore, en.Name, nil) != nil {
				return ""
			}
			return en.Name
		}
	}
	return ""
}

// offsiteWindowBase is, for the recoverable window after a disk loss, the
// oldest backup a remote holds whose coordinates the archive continues
// (from file number first on): its name, time and start file.
func (e *Engine) offsiteWindowBase(ctx context.Context, first int64) (string, time.Time, string) {
	for _, r := range e.Cfg.Remotes {
		entries, _, err := e.remoteEntries(ctx, r)
		if err != nil {
			continue
		}
		for _, en := range slices.Backward(entries) { // oldest first
			if m := en.Manifest; catalog.Prunable(en) && en.Scope() == e.scope() && m != nil && m.Binlog != nil && binlog.Number(m.Binlog.File) >= first {
				return en.Name, m.CreatedAt, m.Binlog.File
			}
		}
	}
	return "", time.Time{}, ""
}
