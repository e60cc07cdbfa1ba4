// Package dump owns lifeboat's SQL dumper: one database, read inside one
// consistent snapshot (shared by several connections when the account
// may), written as one plain SQL stream that the stock client restores on
// its own. Values are read as raw bytes over the text protocol and quoted
// by hand, so every type comes back bit for bit.
package dump

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// Options say what to dump and how.
type Options struct {
	MySQL    *mysql.Config // how to connect; copied, never changed
	Database string        // the one database to dump
	// Databases, when set, are dumped instead of Database, all in the one
	// snapshot: a list, or ["*"] for every database but the system
	// schemas (databases.go). Names in Result then read "db.table".
	Databases []string
	// Accounts also writes the accounts with privileges on the dumped
	// databases (all accounts with ["*"]), after them (accounts.go).
	Accounts    bool
	Parallel    int    // connections reading at once; 0 means 2
	ToolVersion string // written into the header and completion line
	ChunkRows   int64  // rows per primary-key range of big tables; 0 means 200,000
	// MaxStatement caps the statements the dump cuts (tests); 0 means
	// min(server's max_allowed_packet, 16 MiB) less a margin (packet.go).
	MaxStatement int
}

// Result describes a finished dump.
type Result struct {
	ServerVersion    string
	Tables           map[string]int64 // rows written per table (sequences: 0)
	TableCount       int
	Rows             int64
	Bytes            int64 // uncompressed bytes written
	Binlog           *catalog.BinlogPosition
	Consistency      string // ModeSnapshot or ModeSharedSnapshot
	Parallel         int    // connections actually used
	Lock             string // the brief lock shared snapshots took ("" for none)
	LockWindow       time.Duration
	NonTransactional []string // tables with no snapshot (MyISAM, Aria, ...)
	Notes            []string // what a reader should know (fallbacks)
	MaxAllowedPacket int64    // the server's @@GLOBAL.max_allowed_packet at backup time
	LargestStatement int64    // bytes of the largest statement written (without its ";")
	LargestValue     int64    // bytes of the largest value written in pieces (0: none); a restore needs max_allowed_packet >= this

	Databases     []string         // the databases dumped, in stream order
	DatabaseBytes map[string]int64 // uncompressed bytes of each database's part
	Accounts      []string         // accounts written, as 'user'@'host' (never their secrets)
	// Checksums are CHECKSUM TABLE of each transactional table, read in
	// the snapshot (checksum.go), keyed as Tables is.
	Checksums map[string]uint64

	// viewsPre and viewsPost hold the views of a dump of several
	// databases, written after all of them (views may cross databases).
	viewsPre, viewsPost string

	// Objects are the database's other objects by kind ("sequence",
	// "view", "procedure", "function", "package", "package body",
	// "trigger", "event"), as written into the stream.
	Objects map[string][]string
}

// Run dumps opts.Database to w. It returns ctx.Err() soon after ctx is
// cancelled. On any error the stream is cut short and has no completion
// line; the caller must throw it away.
func Run(ctx context.Context, opts Options, w io.Writer, tr *progress.Tracker) (Result, error) {
	if opts.Database == "" && len(opts.Databases) == 0 {
		return Result{}, fmt.Errorf("dump: no database named: set database.name")
	}
	if opts.MySQL == nil {
		return Result{}, fmt.Errorf("dump %s: no connection config", opts.label())
	}
	if opts.Parallel <= 0 {
		opts.Parallel = 2
	}
	if opts.ChunkRows <= 0 {
		opts.ChunkRows = 200_000
	}
	if tr == nil {
		tr = progress.Start("backup", nil, 0)
		defer tr.Finish()
	}
	res := Result{Tables: map[string]int64{}, Objects: map[string][]string{}, DatabaseBytes: map[string]int64{}}
	if err := dumpAll(ctx, opts, w, &res, tr); err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err() // cancelled: say so plainly
		}
		return res, fmt.Errorf("dump %s: %w", opts.label(), err)
	}
	for _, r := range res.Tables {
		res.Rows += r
	}
	return res, nil
}

// dumpAll opens the snapshot, then plans and writes each database in turn
// on the same connections, so all of them are read at one moment.
func dumpAll(parent context.Context, opts Options, w io.Writer, res *Result, tr *progress.Tracker) error {
	ctx, cancel := context.WithCancelCause(parent)
	defer cancel(nil)
	s, err := openSession(ctx, opts.MySQL, opts.Database, opts.Parallel, res)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.start(ctx); err != nil {
		return err
	}
	res.Parallel = len(s.conns)
	if res.Databases, err = selectDatabases(ctx, s.conns[0], opts); err != nil {
		return err
	}
	// The header goes out as the first database's first part, written by
	// its writer while the readers already run (read-ahead starts at once).
	lead := header(opts, res)
	if len(res.Databases) == 0 {
		if err := writeText(w, res, tr, lead); err != nil {
			return err
		}
	}
	for i, db := range res.Databases {
		before := res.Bytes
		if i > 0 {
			lead = ""
		}
		if err := dumpDatabase(ctx, cancel, s, opts, db, lead, w, res, tr); err != nil {
			return err
		}
		res.DatabaseBytes[db] = res.Bytes - before - int64(len(lead))
	}
	if res.viewsPre != "" {
		views := "\n--\n-- Views of every database (placeholders first: views may use other databases' views)\n--\n" + res.viewsPre + res.viewsPost
		if err := writeText(w, res, tr, views); err != nil {
			return err
		}
		res.viewsPre, res.viewsPost = "", ""
	}
	if opts.Accounts {
		txt, err := accountsDDL(ctx, s.conns[0], opts, res)
		if err != nil {
			return err
		}
		if err := writeText(w, res, tr, txt); err != nil {
			return err
		}
	}
	return writeText(w, res, tr, footer(opts))
}

// dumpDatabase plans and writes one database; with several, every
// connection switches to it first (USE keeps the snapshot).
func dumpDatabase(ctx context.Context, cancel context.CancelCauseFunc, s *session, opts Options, db, lead string, w io.Writer, res *Result, tr *progress.Tracker) error {
	prefix := ""
	if opts.several() {
		prefix = db + "."
	}
	if len(opts.Databases) > 0 { // connections opened without a default database
		for _, c := range s.conns {
			if _, err := c.ExecContext(ctx, "USE "+qi(db)); err != nil {
				return fmt.Errorf("use %s: %w", qi(db), err)
			}
		}
	}
	parts, err := plan(ctx, s, opts, db, prefix, res, tr)
	if err != nil {
		return fmt.Errorf("database %s: %w", qi(db), err)
	}
	if lead != "" {
		parts = append([]part{{text: lead}}, parts...)
	}
	if err := run(ctx, cancel, s, opts, parts, w, res, tr); err != nil {
		if ctx.Err() == nil && opts.several() {
			err = fmt.Errorf("database %s: %w", qi(db), err)
		}
		return err
	}
	return checksums(ctx, s, parts, res)
}

// writeText writes fixed text (header, footer, accounts) and counts it.
func writeText(w io.Writer, res *Result, tr *progress.Tracker, text string) error {
	if _, err := io.WriteString(w, text); err != nil {
		return err
	}
	res.Bytes += int64(len(text))
	tr.AddBytes(int64(len(text)))
	res.LargestStatement = max(res.LargestStatement, largestIn(text))
	return nil
}
