package engine

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
	"github.com/lifeboat-dev/lifeboat/engine/safefile"
)

// BinlogSyncOptions tune `lifeboat binlog sync`.
type BinlogSyncOptions struct {
	Follow bool               // keep streaming until ctx is cancelled
	Tick   func(BinlogSynced) // after each pass of Follow
}

// BinlogSynced is what a sync did.
type BinlogSynced struct {
	Dir     string
	Indexed []string        // files finished and indexed now
	Open    string          // the server's current file, copied as far as it goes
	Purged  []string        // purged on the server before they were archived: a gap
	Offsite []BinlogOffsite // one per [[remote]] (binlog_remote.go)
}

var errNoBinlogArchive = errors.New("the binary-log archive is off: set [binlog] archive = true in the config")

// binlogDir is the archive folder, <backup.dir>/binlog.
func (e *Engine) binlogDir() string { return filepath.Join(e.dir(), binlog.DirName) }

// binlogConn is the connection the client programs use (the engine's own).
func (e *Engine) binlogConn() binlog.Conn {
	c := binlog.Conn{User: e.mycfg.User, Password: e.mycfg.Passwd}
	if e.mycfg.Net == "unix" {
		c.Socket = e.mycfg.Addr
		return c
	}
	host, port, err := net.SplitHostPort(e.mycfg.Addr)
	if err != nil {
		c.Host = e.mycfg.Addr
		return c
	}
	c.Host = host
	c.Port, _ = strconv.Atoi(port)
	return c
}

// BinlogSync copies the server's new binary logs into the archive and
// indexes the finished ones; with Follow it streams until ctx ends.
func (e *Engine) BinlogSync(ctx context.Context, opts BinlogSyncOptions) (BinlogSynced, error) {
	out := BinlogSynced{Dir: e.binlogDir()}
	// A sync shares backup.dir as verify does, so prune never removes
	// archive files under it; the follower runs for days and cannot hold
	// it: the archive's own lock keeps it the only writer.
	lock := lockShared
	if opts.Follow {
		lock = lockNone
	}
	err := e.do(ctx, actionSpec{action: ActionBinlogSync, object: out.Dir, lock: lock, wait: lockWait, holder: "binlog sync", prefix: "binlog sync",
		check: func() error {
			if e.Cfg.Binlog.Archive { // the first sync may come before the first backup
				if err := os.MkdirAll(e.dir(), 0o700); err != nil {
					return fmt.Errorf("binlog sync: create backup.dir: %w", safefile.Explain(err, e.dir()))
				}
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) error {
		if !e.Cfg.Binlog.Archive {
			return errNoBinlogArchive
		}
		so := binlog.SyncOptions{Dir: out.Dir, DB: e.db, Conn: e.binlogConn(), Follow: opts.Follow}
		push := e.startBinlogPush(ctx, opts.Follow) // finished files go off-site too
		so.Tick = func(r binlog.SyncResult) {
			push.tick(r)
			if opts.Tick != nil {
				opts.Tick(synced(out.Dir, r))
			}
		}
		r, err := binlog.Sync(ctx, so)
		out = synced(out.Dir, r)
		out.Offsite = push.finish(ctx, err)
		a.Detail = strconv.Itoa(len(out.Indexed)) + " files finished"
		if len(out.Purged) > 0 {
			a.Detail += "; purged before archiving: " + out.Purged[0]
		}
		a.Detail += offsiteDetail(out.Offsite)
		if opts.Follow && errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	})
	return out, err
}

func synced(dir string, r binlog.SyncResult) BinlogSynced {
	return BinlogSynced{Dir: dir, Indexed: r.Indexed, Open: r.Open, Purged: r.Purged}
}

// BinlogEvent is one transaction of the archive, as `binlog events` lists it.
type BinlogEvent = binlog.Transaction

// BinlogEventsOptions filter `lifeboat binlog events`.
type BinlogEventsOptions struct {
	Since, Until time.Time // zero: unbounded; Until is exclusive
	Database     string
	Table        string
	// Newest > 0 keeps only the newest that many (the Timeline's list), so
	// a week of a busy server is read without being held whole.
	Newest int
}

// BinlogEvents lists the archive's transactions in log order (newest last).
func (e *Engine) BinlogEvents(ctx context.Context, opts BinlogEventsOptions) ([]BinlogEvent, error) {
	if !e.Cfg.Binlog.Archive {
		return nil, errNoBinlogArchive
	}
	files, err := e.eventFiles(ctx) // with what only a remote holds, pulled (binlog_remote_pull.go)
	if err != nil {
		return nil, err
	}
	// With Newest, the files are read newest first, and reading stops once
	// that many are found: the Timeline reads the end of a week of a busy
	// server's log, not all of it.
	var out []BinlogEvent
	for n := range files {
		f := files[n]
		if opts.Newest > 0 {
			if len(out) >= opts.Newest {
				break
			}
			f = files[len(files)-1-n]
		}
		if f.Index != nil && (!opts.Since.IsZero() && f.Index.LastEvent.Before(opts.Since.Truncate(time.Second)) ||
			!opts.Until.IsZero() && !f.Index.FirstEvent.Before(opts.Until)) {
			continue // the index says nothing in this file is in range
		}
		var got []BinlogEvent
		err := binlog.ReadFile(ctx, f.Path, func(t binlog.Transaction) error {
			if eventWanted(t, opts) {
				got = append(got, t)
			}
			if opts.Newest > 0 && len(got) >= 2*opts.Newest {
				got = append(got[:0], got[len(got)-opts.Newest:]...)
			}
			return nil
		})
		if opts.Newest > 0 {
			out = append(got, out...)
		} else {
			out = append(out, got...)
		}
		if err != nil {
			return out, err
		}
	}
	if opts.Newest > 0 && len(out) > opts.Newest {
		out = out[len(out)-opts.Newest:]
	}
	return out, nil
}

func eventWanted(t binlog.Transaction, o BinlogEventsOptions) bool {
	if !o.Since.IsZero() && t.Time.Before(o.Since) || !o.Until.IsZero() && !t.Time.Before(o.Until) {
		return false
	}
	if o.Database != "" && t.Database != o.Database {
		return false
	}
	if o.Table != "" {
		if t.Kind == binlog.KindDDL && strings.Contains(strings.ToLower(t.Statement), strings.ToLower(o.Table)) {
			return true // a DDL names its table in its statement only
		}
		for _, n := range t.Tables {
			if n == o.Table || n == t.Database+"."+o.Table {
				return true
			}
		}
		return false
	}
	return true
}
