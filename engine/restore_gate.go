package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"io"
	"os"
	"syscall"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// The restore's pre-pass: before anything changes, the whole file is read
// once, streaming. The raw bytes are hashed (size and sha256 against the
// manifest) while they are decompressed and split, and every statement
// goes through the gate (sqlsplit's allow-list). The report then decides:
// one database, inside the target, complete, statements that fit the
// server's max_allowed_packet, definers the account may set.

// prepass is what the pre-pass found.
type prepass struct {
	report   sqlsplit.Report
	manifest *catalog.Manifest // nil for a foreign file
	stream   catalog.Stream    // how the file reads: compression, age identities
	// onePass: the file was not read yet; the swap restore checks it
	// while it loads (restore_swap_onepass.go).
	onePass bool
}

// inspectBackup reads the file once and refuses a file that is damaged,
// changed since its manifest, or holds a statement the gate refuses.
// target is the database the restore fills; others the server's other
// databases.
func (e *Engine) inspectBackup(ctx context.Context, name, path, target string, others []string, fn progress.Func) (prepass, error) {
	var pp prepass
	m, merr := e.restoreManifest(name)
	if merr != nil && !errors.Is(merr, os.ErrNotExist) && !errors.Is(merr, ErrUntrusted) {
		// A damaged manifest must not turn a backup into an unchecked foreign file.
		return pp, fmt.Errorf("%w: the file cannot be checked against it; run `lifeboat verify %s`, or remove the manifest to restore the file as a foreign dump", merr, name)
	}
	if merr == nil {
		pp.manifest = m
	}
	tr := progress.Start("verify", fn, 0)
	defer tr.Finish()
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return pp, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return pp, err
	}
	tr.SetBytesTotal(st.Size()) // so the screen shows how far the check is
	if m != nil && st.Size() != m.Size {
		return pp, fmt.Errorf("%s: its size is %d bytes, not the %d the manifest says: the file changed after it was written", name, st.Size(), m.Size)
	}
	h := sha256.New()
	raw := io.TeeReader(&countingReader{r: f, tr: tr}, h)
	if pp.stream, err = e.streamFor(name, m); err != nil {
		return pp, err
	}
	zr, err := pp.stream.Reader(raw)
	if err != nil {
		if isCryptError(err) {
			return pp, fmt.Errorf("%s: %w", name, err)
		}
		return pp, fmt.Errorf("%s is damaged: %w", name, err)
	}
	defer zr.Close()
	pp.report, err = sqlsplit.Inspect(ctx, zr, sqlsplit.InspectOptions{
		Gate:             sqlsplit.GateOptions{Target: target, Others: others},
		CompletionPrefix: catalog.CompletionPrefix,
		Pick:             pickOf(ctx), OnStatement: onStatement(ctx), // whole-server restores (restore_parts.go)
	})
	if ctx.Err() != nil {
		return pp, ctx.Err()
	}
	if err != nil {
		return pp, fmt.Errorf("%s is damaged or truncated: %w", name, err)
	}
	if r := pp.report.Refusal; r != nil {
		return pp, fmt.Errorf("%s: %w: a database restore runs only what a dump of one database holds, inside the target", name, r)
	}
	if m != nil {
		// The rest of the raw stream (after the decompressor's end) counts too.
		if _, err := io.Copy(io.Discard, raw); err != nil {
			return pp, err
		}
		if sum := hex.EncodeToString(h.Sum(nil)); sum != m.SHA256 {
			return pp, fmt.Errorf("%s: sha256 %s, the manifest says %s: the file changed after it was written", name, sum, m.SHA256)
		}
	}
	return pp, nil
}

// completionProblem says why a file without its completion line is refused:
// lifeboat's own backups always end with one; a foreign file without one
// cannot be proven complete and goes on only when the user accepts that.
func completionProblem(name string, pp prepass, accept bool) error {
	switch {
	case pp.report.Completed:
		return nil
	case pp.manifest != nil:
		return fmt.Errorf("%s is incomplete: it does not end with %q although its manifest says it finished", name, catalog.CompletionPrefix)
	case accept:
		return nil
	}
	return fmt.Errorf("%s %s; if you know it is whole (mariadb-dump --skip-comments or --compact), run again with --accept-unterminated", name, unterminatedNote)
}

// unterminatedNote is what the plan and the refusal say of such a file.
const unterminatedNote = "has no completion line (\"" + catalog.CompletionPrefix + "\"), so it cannot be proven complete"

// sourceProblem refuses a file of another database unless the user named
// the target with --into.
func sourceProblem(source, target string, opts RestoreOptions) error {
	if source == "" || source == target || opts.Into != "" {
		return nil
	}
	return fmt.Errorf("this is a backup of database %q, not %q: name the target with --into (--into %s replaces %q with it)", source, target, target, target)
}

// packetProblem refuses a statement the server would not accept.
func packetProblem(name string, rep sqlsplit.Report, maxPacket int64) error {
	if maxPacket <= 0 || int64(rep.Largest.Bytes)+1 <= maxPacket {
		return nil
	}
	l := rep.Largest
	table := ""
	if l.Table != "" {
		table = fmt.Sprintf(" (table %q)", l.Table)
	}
	return fmt.Errorf("%s: line %s%s: a statement of %s (%d bytes) is larger than the server's max_allowed_packet of %s (%d): the server would refuse it; raise it (SET GLOBAL max_allowed_packet = %d, and max_allowed_packet in the server's config to keep it), then restore again",
		name, humanize.Comma(int64(l.Line)), table, units.Size(uint64(l.Bytes)), l.Bytes, units.Size(uint64(maxPacket)), maxPacket, roundPacket(int64(l.Bytes)+1))
}

// roundPacket rounds a size up to whole MiB (the server accepts up to 1 GiB).
func roundPacket(n int64) int64 {
	const mib = 1 << 20
	n = (n + mib - 1) / mib * mib
	return min(n, 1<<30)
}

// targetProblem refuses targets a database restore never fills.
func targetProblem(target string) error {
	switch {
	case target == "":
		return errors.New("no target database: set database.name or use --into")
	case sqlsplit.SystemSchema(target):
		return fmt.Errorf("%q is a system schema: a restore never replaces it; restore into an application database (--into NAME)", target)
	}
	return nil
}

// restoreDecisions are the checks on what the pre-pass found that need the
// options or the server: completion, the file's database, and
// serverDecisions.
func (e *Engine) restoreDecisions(ctx context.Context, name, target string, pp prepass, opts RestoreOptions) error {
	if err := completionProblem(name, pp, opts.AcceptUnterminated); err != nil {
		return err
	}
	source := pp.report.Database()
	if source == "" && pp.manifest != nil && len(pp.manifest.Databases) == 1 {
		source = pp.manifest.Databases[0]
	}
	if err := sourceProblem(source, target, opts); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return e.serverDecisions(ctx, name, target, pp.report, opts)
}

// serverDecisions are the checks of what the file holds against what the
// server and the account accept: statement size, definers, and triggers
// or functions under the binary log.
func (e *Engine) serverDecisions(ctx context.Context, name, target string, rep sqlsplit.Report, opts RestoreOptions) error {
	maxPacket, err := e.serverMaxPacket(ctx)
	if err != nil {
		return err
	}
	if err := packetProblem(name, rep, maxPacket); err != nil {
		return err
	}
	if !opts.StripDefiners {
		if err := e.definerProblem(ctx, name, target, rep); err != nil {
			return err
		}
	}
	return e.binlogProblem(ctx, name, target, rep)
}

// serverMaxPacket is the max_allowed_packet new connections get.
func (e *Engine) serverMaxPacket(ctx context.Context) (int64, error) {
	srv, err := e.serverDB()
	if err != nil {
		return 0, err
	}
	defer srv.Close()
	var n int64
	if err := srv.QueryRowContext(ctx, "SELECT @@GLOBAL.max_allowed_packet").Scan(&n); err != nil {
		return 0, fmt.Errorf("server %s: read max_allowed_packet: %w", e.ServerLabel(), err)
	}
	return n, nil
}

// reachableMaxPacket is the configured server's max_allowed_packet, or 0
// when it cannot be read (verify runs without a server too).
func (e *Engine) reachableMaxPacket(ctx context.Context) int64 {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	n, err := e.serverMaxPacket(ctx)
	if err != nil {
		return 0
	}
	return n
}

// otherDatabases lists the server's databases other than target: names
// the gate refuses in qualified names.
func (e *Engine) otherDatabases(ctx context.Context, target string) ([]string, error) {
	srv, err := e.serverDB()
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	out, err := queryStrings(ctx, srv, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME <> ?", target)
	if err != nil {
		return nil, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	return out, nil
}
