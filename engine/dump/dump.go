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
	MySQL       *mysql.Config // how to connect; copied, never changed
	Database    string        // the one database to dump
	Parallel    int           // connections reading at once; 0 means 2
	ToolVersion string        // written into the header and completion line
	ChunkRows   int64         // rows per primary-key range of big tables; 0 means 200,000
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

	// Objects are the database's other objects by kind ("sequence",
	// "view", "procedure", "function", "package", "package body",
	// "trigger", "event"), as written into the stream.
	Objects map[string][]string
}

// Run dumps opts.Database to w. It returns ctx.Err() soon after ctx is
// cancelled. On any error the stream is cut short and has no completion
// line; the caller must throw it away.
func Run(ctx context.Context, opts Options, w io.Writer, tr *progress.Tracker) (Result, error) {
	if opts.Database == "" {
		return Result{}, fmt.Errorf("dump: no database named: set database.name")
	}
	if opts.MySQL == nil {
		return Result{}, fmt.Errorf("dump %s: no connection config", qi(opts.Database))
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
	res := Result{Tables: map[string]int64{}, Objects: map[string][]string{}}
	if err := dumpAll(ctx, opts, w, &res, tr); err != nil {
		if ctx.Err() != nil {
			return res, ctx.Err() // cancelled: say so plainly
		}
		return res, fmt.Errorf("dump %s: %w", qi(opts.Database), err)
	}
	for _, r := range res.Tables {
		res.Rows += r
	}
	return res, nil
}

// dumpAll opens the snapshot, plans the stream and writes it.
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
	parts, err := plan(ctx, s, opts, res, tr)
	if err != nil {
		return err
	}
	return run(ctx, cancel, s, opts, parts, w, res, tr)
}
