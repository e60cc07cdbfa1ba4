package engine

// The binary-log archive goes off-site too (issue 15, on issue 20's
// remotes). Every finished archive file is pushed to each [[remote]] as
// <prefix>binlog/<file>, then read back and checked against its index
// (size and sha256), and only then gets its index, <prefix>binlog/<file>.json,
// signed by this host: a file without that index is not archived there,
// exactly as a backup without its manifest is incomplete. With encryption
// on, the object is the file encrypted with age to encryption.recipients,
// as backups are; the index then also gives the object's own size and
// sha256.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"filippo.io/age"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/remote"
)

// binlogFolder is the archive's folder under a remote's prefix.
const binlogFolder = binlog.DirName

// maxBinlogIndex bounds an index read from a remote.
const maxBinlogIndex = 64 << 10

// remoteBinlogIndex is a finished file's index as a remote holds it: the
// local index, what the object is (the file itself, or it encrypted), and
// this host's signature over all of it.
type remoteBinlogIndex struct {
	binlog.Index
	ObjectSize   int64              `json:"object_size"`
	ObjectSHA256 string             `json:"object_sha256"`
	Encrypted    bool               `json:"encrypted,omitempty"`
	Signature    *catalog.Signature `json:"signature,omitempty"`
}

// SetSignature makes the index catalog.Signable.
func (x *remoteBinlogIndex) SetSignature(s *catalog.Signature) { x.Signature = s }

func binlogKey(name string) string { return binlogFolder + "/" + name }

// BinlogOffsite is how the archive's copy to one remote went.
type BinlogOffsite struct {
	Remote string
	Pushed []string // files archived there now
	Error  string   // why the rest was not; never holds a secret
}

// pushBinlog copies every finished archive file a remote lacks to each
// remote, one audit line per remote that got something or failed. A remote
// that is down never fails the sync: its error is in the result.
func (e *Engine) pushBinlog(ctx context.Context) []BinlogOffsite {
	if len(e.Cfg.Remotes) == 0 {
		return nil
	}
	files, ferr := binlog.Files(e.binlogDir())
	var out []BinlogOffsite
	for _, r := range e.Cfg.Remotes {
		o := BinlogOffsite{Remote: r.Name}
		st, todo, err := e.binlogToPush(ctx, r.Name, files)
		if err = errors.Join(ferr, err); err == nil && len(todo) == 0 {
			out = append(out, o)
			continue
		}
		detail := "remote " + r.Name + ", binary-log archive"
		err = e.nested(ctx, ActionPush, binlogObject(todo), detail, func(ctx context.Context, a *actionLog) error {
			if err != nil {
				return err
			}
			if err := e.Allowed(ActionPush); err != nil {
				return err
			}
			for _, f := range todo {
				if err := e.pushBinlogFile(ctx, st, f); err != nil {
					return err
				}
				o.Pushed = append(o.Pushed, f.Name)
			}
			return nil
		})
		if err != nil {
			o.Error = err.Error()
		}
		out = append(out, o)
	}
	return out
}

func binlogObject(todo []binlog.File) string {
	switch len(todo) {
	case 0:
		return "binlog"
	case 1:
		return "binlog " + todo[0].Name
	}
	return fmt.Sprintf("binlog %s..%s", todo[0].Name, todo[len(todo)-1].Name)
}

// binlogToPush lists what remote name holds of the archive and returns
// the finished local files it lacks (its object or its index).
func (e *Engine) binlogToPush(ctx context.Context, name string, files []binlog.File) (*remote.Store, []binlog.File, error) {
	st, err := e.openStore(name)
	if err != nil {
		return nil, nil, err
	}
	have, err := remoteArchived(ctx, st)
	if err != nil {
		return st, nil, err
	}
	var todo []binlog.File
	for _, f := range files {
		if _, there := have[f.Name]; f.Index != nil && !there && f.Damaged(false) == "" {
			todo = append(todo, f)
		}
	}
	return st, todo, nil
}

// remoteArchived is the archive files st holds whole, by name: the
// object and its index both there (the index goes last, after the check).
func remoteArchived(ctx context.Context, st *remote.Store) (map[string]remote.Object, error) {
	objs, err := st.ListUnder(ctx, binlogFolder)
	if err != nil {
		return nil, err
	}
	names := map[string]remote.Object{}
	for _, o := range objs {
		names[o.Name] = o
	}
	out := map[string]remote.Object{}
	for n, o := range names {
		if _, ix := names[n+binlog.IndexSuffix]; ix && binlog.ValidName(n) {
			out[n] = o
		}
	}
	return out, nil
}

// pushBinlogFile uploads one finished file (encrypted when encryption is
// on), reads the object back to check its size and sha256, and then puts
// its signed index.
func (e *Engine) pushBinlogFile(ctx context.Context, st *remote.Store, f binlog.File) error {
	ix := remoteBinlogIndex{Index: *f.Index, ObjectSize: f.Index.Size, ObjectSHA256: f.Index.SHA256}
	src := f.Path
	recipients, err := e.Cfg.AgeRecipients()
	if err != nil {
		return err
	}
	if len(recipients) > 0 {
		tmp, size, sum, err := encryptBinlog(e.binlogDir(), f, recipients)
		if err != nil {
			return err
		}
		defer os.Remove(tmp)
		src, ix.Encrypted, ix.ObjectSize, ix.ObjectSHA256 = tmp, true, size, sum
	}
	key := binlogKey(f.Name)
	if err := st.AbortStale(ctx, key); err != nil {
		return err
	}
	fh, err := os.OpenFile(src, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("push binlog %s: %w", f.Name, err)
	}
	defer fh.Close()
	if err := st.PutTail(ctx, key, remote.Whole(fh, ix.ObjectSize), nil); err != nil {
		return err
	}
	// Read it back: only an object with the index's size and sha256 gets
	// the index that makes it archived (a local file changed since it was
	// indexed fails here too).
	if err := fetchObject(ctx, st, key, ix.ObjectSize, ix.ObjectSHA256, io.Discard); err != nil {
		_ = st.Remove(ctx, key) // no index: it was never archived there
		return fmt.Errorf("push binlog %s: the uploaded copy does not check, so it is not archived there (try again; if it fails again, check the local file with lifeboat check): %w", f.Name, err)
	}
	k, err := e.signingKey()
	if err != nil {
		return err
	}
	b, err := catalog.MarshalSigned(&ix, k)
	if err != nil {
		return err
	}
	return st.Put(ctx, key+binlog.IndexSuffix, bytes.NewReader(b), int64(len(b)), nil)
}

// encryptBinlog writes f encrypted to recipients into a temp file in dir
// (0600, a name the archive ignores) and returns it with its size and sha256.
func encryptBinlog(dir string, f binlog.File, recipients []age.Recipient) (string, int64, string, error) {
	in, err := os.OpenFile(f.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return "", 0, "", fmt.Errorf("push binlog %s: %w", f.Name, err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(dir, ".push-"+f.Name+"-*.partial")
	if err != nil {
		return "", 0, "", fmt.Errorf("push binlog %s: %w", f.Name, err)
	}
	fail := func(err error) (string, int64, string, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", 0, "", fmt.Errorf("push binlog %s: encrypt: %w", f.Name, err)
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(tmp, h)}
	aw, err := age.Encrypt(cw, recipients...)
	if err != nil {
		return fail(err)
	}
	if _, err := io.Copy(aw, in); err != nil {
		return fail(err)
	}
	if err := aw.Close(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	return tmp.Name(), cw.n, hex.EncodeToString(h.Sum(nil)), nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// readRemoteIndex reads the index of name on st and checks it: signed by
// this host or a trusted key, and about that file.
func (e *Engine) readRemoteIndex(ctx context.Context, st *remote.Store, name string) (*remoteBinlogIndex, error) {
	b, err := st.ReadSmall(ctx, binlogKey(name)+binlog.IndexSuffix, maxBinlogIndex)
	if err != nil {
		return nil, err
	}
	t, _ := e.trust()
	if _, err := t.Verify(b); err != nil {
		return nil, fmt.Errorf("remote %q: the index of binlog %s: %w: the file is not used", st.Name, name, err)
	}
	var ix remoteBinlogIndex
	if err := json.Unmarshal(b, &ix); err != nil || ix.File != name || ix.ObjectSize < 0 {
		return nil, fmt.Errorf("remote %q: the index of binlog %s is not an index of that file: the file is not used", st.Name, name)
	}
	return &ix, nil
}

// binlogOffsiteGrace is how long a finished archive file may wait for its
// off-site copy before status and check warn.
var binlogOffsiteGrace = 15 * time.Minute

// BinlogBehind is what one remote lacks of the finished archive, for
// longer than the grace (15 minutes): a warning in status and check.
type BinlogBehind struct {
	Remote string
	Files  []string  // in log order
	Since  time.Time // when the oldest of them was finished
}

// offsiteScan is what the remotes hold of the archive.
type offsiteScan struct {
	// files are the archive files the remotes hold that the local archive
	// lacks whole (missing, unfinished, or not the size its index says),
	// each with its checked remote index; the first remote in config
	// order that has a file wins.
	files  map[string]offsiteFile
	behind []BinlogBehind
	errs   []string // remotes that could not be listed, indexes refused
}

// offsiteFiles scans every remote, from the file numbered from on (all
// when from is ""). With hash a local file from there on whose sha256 is
// not its index's counts as missing (a replay then pulls a good copy).
func (e *Engine) offsiteFiles(ctx context.Context, local []binlog.File, from string, hash bool) offsiteScan {
	usable := map[string]bool{}
	for _, f := range local {
		wanted := from == "" || binlog.Number(f.Name) >= binlog.Number(from)
		if f.Index != nil && f.Damaged(hash && wanted) == "" {
			usable[f.Name] = true
		}
	}
	scan := offsiteScan{files: map[string]offsiteFile{}}
	for _, r := range e.Cfg.Remotes {
		st, err := e.openStore(r.Name)
		var have map[string]remote.Object
		if err == nil {
			have, err = remoteArchived(ctx, st)
		}
		if err != nil {
			scan.errs = append(scan.errs, err.Error())
			continue
		}
		if b := behindOn(r.Name, local, have); len(b.Files) > 0 {
			scan.behind = append(scan.behind, b)
		}
		for n := range have {
			if _, got := scan.files[n]; usable[n] || got || from != "" && binlog.Number(n) < binlog.Number(from) {
				continue
			}
			ix, err := e.readRemoteIndex(ctx, st, n)
			if err != nil {
				scan.errs = append(scan.errs, err.Error())
				continue
			}
			scan.files[n] = offsiteFile{store: st, index: ix}
		}
	}
	return scan
}

// behindOn lists the finished local files remote lacks, finished longer
// than the grace ago.
func behindOn(name string, local []binlog.File, have map[string]remote.Object) BinlogBehind {
	b := BinlogBehind{Remote: name}
	for _, f := range local {
		if _, there := have[f.Name]; f.Index == nil || there || time.Since(f.Index.ArchivedAt) < binlogOffsiteGrace {
			continue
		}
		if len(b.Files) == 0 {
			b.Since = f.Index.ArchivedAt
		}
		b.Files = append(b.Files, f.Name)
	}
	return b
}

// offsiteFile is one archive file on a remote.
type offsiteFile struct {
	store *remote.Store
	index *remoteBinlogIndex
}

// file is the archive entry of an off-site file: no local path.
func (o offsiteFile) file() binlog.File {
	ix := o.index.Index
	return binlog.File{Name: ix.File, Size: ix.Size, MTime: ix.LastEvent, Index: &ix, Remote: o.store.Name}
}

// withOffsite is the local archive with the files only a remote holds
// put in their place, in log order.
func withOffsite(local []binlog.File, off map[string]offsiteFile) []binlog.File {
	var out []binlog.File
	for _, f := range local {
		if _, ok := off[f.Name]; !ok {
			out = append(out, f)
		}
	}
	for _, o := range off {
		out = append(out, o.file())
	}
	binlog.SortFiles(out)
	return out
}

// offsiteRemotes names the remotes the off-site files come from.
func offsiteRemotes(off map[string]offsiteFile) []string {
	var out []string
	for _, o := range off {
		if !containsString(out, o.store.Name) {
			out = append(out, o.store.Name)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// firstLine of an error list, for a one-line problem.
func firstOf(errs []string) string {
	if len(errs) == 0 {
		return ""
	}
	if len(errs) > 1 {
		return errs[0] + fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return strings.TrimSpace(errs[0])
}
