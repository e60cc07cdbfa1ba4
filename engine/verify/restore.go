package verify

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/dustin/go-humanize"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/dump"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/restore"
	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

// Names of the checks a restore adds (and CheckObjects).
const (
	CheckRestore         = "restore"
	CheckRestoredRows    = "restored row counts"
	CheckRestoreChecksum = "checksums"
)

// RestoreOptions say which file to load into a throwaway server.
type RestoreOptions struct {
	Path     string
	Stream   catalog.Stream    // compression, and age identities for an encrypted file
	Manifest *catalog.Manifest // nil for a foreign file: counts are compared with the file's
	Tracker  *progress.Tracker // may be nil
	// Databases are a foreign file's databases in file order (as
	// Options.Databases): several load each under its own name.
	Databases []string
}

// scratchDB is the default database for dumps without a USE statement.
const scratchDB = "lifeboat_verify"

// Restore loads the backup into a throwaway MariaDB (stopped and removed
// afterwards), digesting the file's rows as it goes. Then it checks that
// the copy holds exactly the objects of the manifest, that every table has
// the rows the file (and the manifest) give it, and, by dumping the copy
// with lifeboat's own dumper, that every row came back bit for bit. Only a
// cancelled ctx is an error.
func Restore(ctx context.Context, opts RestoreOptions) ([]Check, error) {
	start := time.Now()
	srv, err := sandbox.Start(ctx, sandbox.Options{})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return []Check{{Name: CheckRestore, Detail: "cannot start a throwaway MariaDB: " + err.Error()}}, nil
	}
	defer srv.Stop()
	file, err := load(ctx, srv, opts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return []Check{{Name: CheckRestore, Detail: err.Error()}}, nil
	}
	checks := []Check{{Name: CheckRestore, OK: true, Detail: fmt.Sprintf("loaded into a throwaway MariaDB %s in %s",
		srv.Version, time.Since(start).Round(100*time.Millisecond))}}
	db, err := srv.Open("")
	if err != nil {
		return append(checks, Check{Name: CheckObjects, Detail: err.Error()}), nil
	}
	defer db.Close()
	dbs := partDatabases(opts)
	objs, tables, err := restoredObjects(ctx, db, dbs != nil)
	if err != nil {
		return append(checks, Check{Name: CheckObjects, Detail: err.Error()}), ctx.Err()
	}
	file.keepOnly(dbs) // a foreign file's system schemas were not restored
	checks = append(checks, objectCheck(objs, opts.Manifest))
	checks = append(checks, countCheck(ctx, db, tables, file, opts.Manifest, dbs != nil))
	checks = append(checks, digestCheck(ctx, srv, file, opts.Manifest, dbs))
	return checks, ctx.Err()
}

// load restores the backup with engine/restore (the path a real restore
// takes), every database of the dump landing in one scratch database, and
// digests the rows of the same stream on the way (one read of the file).
func load(ctx context.Context, srv *sandbox.Server, opts RestoreOptions) (*streamDigest, error) {
	dec, closeAll, err := openSQL(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	tr := opts.Tracker
	if tr == nil {
		tr = progress.Start("verify", nil, 0)
		defer tr.Finish()
	}
	var file *streamDigest
	pick := pickOf(partDatabases(opts)) // several databases: each under its own name (databases.go)
	err = digestWhile(func(w io.Writer) error {
		in := io.TeeReader(dec, w)
		if _, err := restore.Run(ctx, restore.Options{Config: srv.Config(""), Database: scratchDB, Pick: pick}, in, tr); err != nil {
			return fmt.Errorf("restoring into a throwaway MariaDB failed: %w", err)
		}
		_, err := io.Copy(io.Discard, in) // anything the restore left unread is digested too
		return err
	}, &file, pick != nil)
	return file, err
}

// digestWhile runs produce with a writer whose bytes are digested as SQL
// by another goroutine, and stores the digest in *out.
// qualify names tables "db.table" (a backup of several databases).
func digestWhile(produce func(w io.Writer) error, out **streamDigest, qualify bool) error {
	pr, pw := io.Pipe()
	type result struct {
		d   *streamDigest
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := digestSQL(pr, qualify)
		_, _ = io.Copy(io.Discard, pr) // never block the producer
		done <- result{d, err}
	}()
	err := produce(pw)
	pw.CloseWithError(err)
	r := <-done
	if err != nil {
		return err
	}
	if r.err != nil {
		return fmt.Errorf("digest the rows: %w", r.err)
	}
	*out = r.d
	return nil
}

// copyDigest dumps the throwaway copy with lifeboat's own dumper and
// digests what it writes.
// Values too big for one statement are cut where the original dump cut
// them, at the statement size its server's max_allowed_packet gave.
func copyDigest(ctx context.Context, srv *sandbox.Server, m *catalog.Manifest, dbs []string) (*streamDigest, error) {
	cut := 0
	if m != nil && m.MaxAllowedPacket > 0 {
		cut = dump.StatementCap(m.MaxAllowedPacket)
	}
	var d *streamDigest
	o := dump.Options{MySQL: srv.Config(""), Database: scratchDB, ToolVersion: "verify", MaxStatement: cut}
	if dbs != nil {
		o.Database, o.Databases = "", dbs
	}
	err := digestWhile(func(w io.Writer) error {
		_, err := dump.Run(ctx, o, w, nil)
		return err
	}, &d, len(o.Databases) > 0)
	return d, err
}

// openSQL opens the backup and its decompressor, counting file bytes.
func openSQL(ctx context.Context, opts RestoreOptions) (io.Reader, func(), error) {
	f, err := os.Open(opts.Path)
	if err != nil {
		return nil, nil, err
	}
	dec, err := opts.Stream.Reader(&countingReader{ctx: ctx, r: f, tr: opts.Tracker})
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return dec, func() { dec.Close(); f.Close() }, nil
}

func quoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// countCheck compares the rows of every restored table with the rows the
// file INSERTs into it, and with the manifest when there is one: a file
// without a manifest is still compared with itself (rows lost to INSERT
// IGNORE, a trigger or a failed statement show).
func countCheck(ctx context.Context, db *sql.DB, tables map[string]bool, file *streamDigest, m *catalog.Manifest, multi bool) Check {
	c := Check{Name: CheckRestoredRows}
	got := map[string]int64{}
	var total int64
	for t := range tables {
		var n int64
		schema, name := scratchDB, t
		if multi { // "db.table"
			schema, name, _ = strings.Cut(t, ".")
		}
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(schema)+"."+quoteIdent(name)).Scan(&n); err != nil {
			c.Detail = fmt.Sprintf("count rows of %s: %v", quoteIdent(t), err)
			return c
		}
		got[t] = n
		total += n
	}
	names := map[string]bool{}
	for t := range got {
		names[t] = true
	}
	for t, d := range file.Tables {
		if d.Rows > 0 {
			names[t] = true
		}
	}
	var want map[string]int64
	if m != nil {
		want = map[string]int64{}
		for k, n := range m.Tables {
			if !multi {
				k = unqualify(k, m.Databases)
			}
			want[k] = n
			names[k] = true
		}
	}
	var diffs []string
	for t := range names {
		inFile := int64(0)
		if d := file.Tables[t]; d != nil {
			inFile = d.Rows
		}
		if got[t] != inFile {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows restored, %d in the file", quoteIdent(t), got[t], inFile))
		} else if want != nil && got[t] != want[t] {
			diffs = append(diffs, fmt.Sprintf("%s: %d rows restored, %d in the manifest", quoteIdent(t), got[t], want[t]))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		c.Detail = strings.Join(diffs, "; ")
		return c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("%s rows in %d tables match the file", humanize.Comma(total), len(got))
	if m != nil {
		c.Detail += " and the manifest"
	}
	return c
}

// digestCheck dumps the copy and compares its row digests with the
// file's, table by table. For lifeboat's own files the text is the same
// dumper's, so any difference is a value that did not come back. A foreign
// dump's text (other quoting, number formats) may differ for equal values:
// then the comparison is shown as information, not as a pass or a failure.
func digestCheck(ctx context.Context, srv *sandbox.Server, file *streamDigest, m *catalog.Manifest, dbs []string) Check {
	c := Check{Name: CheckRestoreChecksum}
	cp, err := copyDigest(ctx, srv, m, dbs)
	if err != nil {
		c.Detail = "could not dump the restored copy to compare it: " + err.Error()
		return c
	}
	names := map[string]bool{}
	for t := range file.Tables {
		names[t] = true
	}
	for t := range cp.Tables {
		names[t] = true
	}
	var diffs []string
	var rows int64
	for t := range names {
		f, g := file.Tables[t], cp.Tables[t]
		if f == nil {
			f = &rowDigest{}
		}
		if g == nil {
			g = &rowDigest{}
		}
		rows += g.Rows
		if *f != *g {
			diffs = append(diffs, fmt.Sprintf("%s (%d rows in the file, %d in the copy)", quoteIdent(t), f.Rows, g.Rows))
		}
	}
	sort.Strings(diffs)
	switch {
	case len(diffs) == 0:
		c.OK = true
		c.Detail = fmt.Sprintf("every row of %d tables came back bit for bit (%s rows; sha256 of each row as the file writes it and as the copy dumps it)",
			len(names), humanize.Comma(rows))
	case !file.Lifeboat:
		c.Info = true
		c.Detail = "not compared bit for bit: the file was not written by lifeboat, and its text differs from lifeboat's dump of the copy in " +
			strings.Join(diffs, ", ")
	default:
		c.Detail = "the restored values differ from the file's in " + strings.Join(diffs, ", ") +
			": a value did not come back as written (changed column type, truncation, a trigger or default)"
	}
	return c
}
