// Package verify proves a backup stream whole without a server: its sha256
// and size against the manifest, decompression to the end (the gzip/zstd
// checksums), the completion line, the rows INSERTed per table against
// the manifest's counts, the restore gate's allow-list, and (given the
// server's limit) that every statement fits max_allowed_packet. All of it
// in one pass over the file.
package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/lifeboat-dev/lifeboat/engine/units"
	"io"
	"sort"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// Names of the checks, as the verify report shows them.
const (
	CheckSHA256     = "sha256"
	CheckDecompress = "decompress"
	CheckCompletion = "completion line"
	CheckRowCounts  = "row counts"
	CheckAllowed    = "statements allowed"
	CheckPacket     = "statements fit max_allowed_packet"
)

// Check is one line of the report.
type Check struct {
	Name   string
	OK     bool
	Detail string
	// Info marks a line that compares nothing that could fail (e.g. a
	// foreign file's text that lifeboat cannot reproduce): shown, never
	// counted as passed (OK is false) and never failing the report.
	Info bool
}

// Options say what the stream should be.
type Options struct {
	Stream   catalog.Stream    // compression, and age identities for an encrypted file
	Manifest *catalog.Manifest // nil for a foreign file: no sha256 or row checks
	Tracker  *progress.Tracker // may be nil
	// MaxAllowedPacket is the configured server's limit, when it could be
	// read; 0 leaves the packet check out (nothing to compare with).
	MaxAllowedPacket int64
	// Databases and Accounts are what a file without a manifest holds
	// (its databases in file order, its account statements), read by the
	// caller before the pass: a file of several is checked part by part,
	// as restore reads it (parts.go).
	Databases []string
	Accounts  int64
}

// Report is the outcome of one pass.
type Report struct {
	Checks []Check
	SHA256 string
	Size   int64            // bytes of the file
	SQL    int64            // bytes after decompression
	Rows   map[string]int64 // rows INSERTed per table, as counted
	Gate   sqlsplit.Report  // what the restore gate found in the same pass
}

// OK is true when every check passed (information lines aside).
func (r Report) OK() bool {
	for _, c := range r.Checks {
		if !c.OK && !c.Info {
			return false
		}
	}
	return len(r.Checks) > 0
}

// Stream reads r (the backup file's bytes) once and returns the checks. An
// error is returned only for a cancelled ctx or a read error of r itself;
// a damaged stream is a failed check.
func Stream(ctx context.Context, r io.Reader, opts Options) (Report, error) {
	h := sha256.New()
	file := &countingReader{ctx: ctx, r: r, tr: opts.Tracker}
	tee := io.TeeReader(file, h)
	var rep Report

	pick, skipped, accounts := wholeServerPick(opts.Manifest), []string(nil), int64(0)
	if opts.Manifest == nil {
		pick, skipped = foreignPick(opts.Databases)
		accounts = opts.Accounts
	} else if pick != nil {
		accounts = int64(len(opts.Manifest.Accounts))
	}
	var tally partTally
	if pick != nil {
		tally = partTally{}
	}
	counted, sqlBytes, tail, gate, streamErr := readSQL(tee, opts.Stream, pick, tally)
	rep.Gate = gate
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	if file.err != nil {
		return rep, file.err
	}
	// Hash whatever the decompressor left unread (trailing bytes).
	if _, err := io.Copy(h, file); err != nil {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		return rep, err
	}
	rep.SHA256, rep.Size, rep.SQL, rep.Rows = hex.EncodeToString(h.Sum(nil)), file.n, sqlBytes, counted

	if opts.Manifest != nil {
		rep.Checks = append(rep.Checks, shaCheck(rep, opts.Manifest))
	}
	if opts.Stream.Encrypted {
		rep.Checks = append(rep.Checks, decryptCheck(streamErr))
	}
	rep.Checks = append(rep.Checks, decompressCheck(streamErr, opts.Stream, sqlBytes))
	rep.Checks = append(rep.Checks, completionCheck(tail, streamErr))
	if opts.Manifest != nil {
		rep.Checks = append(rep.Checks, rowCheck(counted, opts.Manifest, streamErr))
	}
	if pick != nil {
		rep.Checks = append(rep.Checks, databasesCheck(pick, tally, skipped, accounts, streamErr))
	}
	rep.Checks = append(rep.Checks, allowedCheck(gate, pick != nil, streamErr))
	if opts.MaxAllowedPacket > 0 {
		rep.Checks = append(rep.Checks, packetCheck(gate, opts.MaxAllowedPacket, streamErr))
	}
	return rep, nil
}

// readSQL decompresses src, counts rows and runs the restore gate while
// keeping the stream's tail for the completion line.
// With pick (a backup of several databases), each database's part goes
// through its own gate and rows are counted as "db.table".
func readSQL(src io.Reader, st catalog.Stream, pick *sqlsplit.Pick, tally partTally) (map[string]int64, int64, []byte, sqlsplit.Report, error) {
	counted := map[string]int64{}
	dec, err := st.Reader(src)
	if err != nil {
		return counted, 0, nil, sqlsplit.Report{}, err
	}
	defer dec.Close()
	tw := &tailWriter{}
	sqlCount := &countingReader{ctx: context.Background(), r: io.TeeReader(dec, tw)}
	part := ""
	gate, err := sqlsplit.Inspect(context.Background(), sqlCount, sqlsplit.InspectOptions{KeepGoing: true, Pick: pick,
		OnStatement: func(st *sqlsplit.Statement) {
			if db := sqlsplit.PartDatabase(st); db != "" && pick != nil {
				part = db + "."
			}
			tally.note(strings.TrimSuffix(part, "."), st)
			if st.Kind == sqlsplit.Insert && st.Table != "" {
				counted[part+st.Table] += int64(st.Rows)
			}
		}})
	if err == nil {
		// Inspect stops at EOF; make sure the decompressor saw its end
		// (and so checked its checksum).
		_, err = io.Copy(io.Discard, sqlCount)
	}
	return counted, sqlCount.n, tw.buf, gate, err
}

// allowedCheck is the restore gate's verdict: restore refuses a file
// with a statement outside what a dump of one database holds (parts: each
// database's part outside what a dump of that database holds).
func allowedCheck(gate sqlsplit.Report, parts bool, streamErr error) Check {
	c := Check{Name: CheckAllowed}
	switch {
	case gate.Refusal != nil:
		c.Detail = gate.Refusal.Error() + "; restore refuses this file"
	case streamErr != nil:
		c.Detail = "not checked to the end: the stream could not be read"
	case parts:
		c.OK = true
		c.Detail = fmt.Sprintf("%s statements, each database's part only of the kinds a dump of that database holds", humanize.Comma(gate.Statements))
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("%s statements, all of the kinds a dump of one database holds", humanize.Comma(gate.Statements))
		if db := gate.Database(); db != "" {
			c.Detail += fmt.Sprintf(" (database %q)", db)
		}
	}
	return c
}

// packetCheck compares the largest statement with the server's limit.
func packetCheck(gate sqlsplit.Report, limit int64, streamErr error) Check {
	c := Check{Name: CheckPacket}
	l := gate.Largest
	where := fmt.Sprintf("line %s", humanize.Comma(int64(l.Line)))
	if l.Table != "" {
		where += fmt.Sprintf(", table %q", l.Table)
	}
	switch {
	case streamErr != nil:
		c.Detail = "not checked to the end: the stream could not be read"
	case int64(l.Bytes)+1 > limit:
		c.Detail = fmt.Sprintf("%s: a statement of %s (%d bytes), more than the server's max_allowed_packet of %s (%d): restore would fail; raise max_allowed_packet",
			where, units.Size(uint64(l.Bytes)), l.Bytes, units.Size(uint64(limit)), limit)
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("largest statement %s (%s) within the server's max_allowed_packet of %s", units.Size(uint64(l.Bytes)), where, units.Size(uint64(limit)))
	}
	return c
}

func shaCheck(rep Report, m *catalog.Manifest) Check {
	c := Check{Name: CheckSHA256}
	switch {
	case rep.Size != m.Size:
		c.Detail = fmt.Sprintf("file is %d bytes, the manifest says %d: the file was cut or changed", rep.Size, m.Size)
	case !strings.EqualFold(rep.SHA256, m.SHA256):
		c.Detail = fmt.Sprintf("sha256 %s…, the manifest says %s…: the file changed after the backup", short(rep.SHA256), short(m.SHA256))
	default:
		c.OK, c.Detail = true, fmt.Sprintf("%s… matches the manifest (%s)", short(rep.SHA256), units.Size(uint64(rep.Size)))
	}
	return c
}

func decompressCheck(err error, st catalog.Stream, sqlBytes int64) Check {
	c := Check{Name: CheckDecompress}
	compression := st.Compression
	if compression == "" {
		compression = "gzip"
	}
	if st.Encrypted {
		compression = "age-encrypted " + compression
	}
	if err != nil {
		c.Detail = fmt.Sprintf("%s stream damaged after %s of SQL: %v", compression, units.Size(uint64(sqlBytes)), err)
		return c
	}
	c.OK = true
	if compression == "none" {
		c.Detail = fmt.Sprintf("uncompressed, %s of SQL read", units.Size(uint64(sqlBytes)))
	} else {
		c.Detail = fmt.Sprintf("%s stream whole, checksum ok, %s of SQL", compression, units.Size(uint64(sqlBytes)))
	}
	return c
}

func completionCheck(tail []byte, streamErr error) Check {
	c := Check{Name: CheckCompletion}
	last := lastLine(tail)
	switch {
	case strings.HasPrefix(last, catalog.CompletionPrefix):
		c.OK, c.Detail = true, last
	case streamErr != nil:
		c.Detail = "the stream could not be read to its end, so its completion line is missing"
	case last == "":
		c.Detail = "the file is empty: no completion line"
	default:
		c.Detail = fmt.Sprintf("last line is %q, not %q…: the dump did not finish", clip(last, 60), catalog.CompletionPrefix)
	}
	return c
}

func rowCheck(counted map[string]int64, m *catalog.Manifest, streamErr error) Check {
	c := Check{Name: CheckRowCounts}
	if streamErr != nil {
		c.Detail = "not compared: the stream could not be read to its end"
		return c
	}
	var diffs []string
	var total int64
	names := make([]string, 0, len(m.Tables))
	for t := range m.Tables {
		names = append(names, t)
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, t := range names {
		key := lookupName(t, counted, m.Databases)
		seen[key] = true
		got, want := counted[key], m.Tables[t]
		total += got
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows in the file, %d in the manifest", t, got, want))
		}
	}
	for t, n := range counted {
		if !seen[t] && n > 0 {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows in the file, table not in the manifest", t, n))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		c.Detail = strings.Join(diffs, "; ")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%s rows in %d tables match the manifest", humanize.Comma(total), len(names))
	return c
}

// lookupName maps a manifest table key ("t" or "db.t") to the counted
// (unqualified) name.
func lookupName(key string, counted map[string]int64, dbs []string) string {
	if _, ok := counted[key]; ok {
		return key
	}
	for _, db := range dbs {
		if rest, ok := strings.CutPrefix(key, db+"."); ok {
			return rest
		}
	}
	return key
}

func lastLine(tail []byte) string {
	tail = bytes.TrimRight(tail, "\r\n \t")
	if i := bytes.LastIndexByte(tail, '\n'); i >= 0 {
		tail = tail[i+1:]
	}
	return strings.TrimSpace(string(tail))
}

func short(s string) string { return clip(s, 12) }

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// countingReader counts bytes, reports them and stops on a cancelled ctx.
type countingReader struct {
	ctx context.Context
	r   io.Reader
	tr  *progress.Tracker
	n   int64
	err error // the source's own error, not EOF
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.tr != nil && n > 0 {
		c.tr.AddBytes(int64(n))
	}
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return n, err
}

// tailWriter keeps the last bytes written: the completion line.
type tailWriter struct{ buf []byte }

const tailMax = 4096

func (t *tailWriter) Write(p []byte) (int, error) {
	if len(p) >= tailMax {
		t.buf = append(t.buf[:0], p[len(p)-tailMax:]...)
		return len(p), nil
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*tailMax {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-tailMax:]...)
	}
	return len(p), nil
}
