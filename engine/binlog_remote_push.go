package engine

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/binlog"
)

// binlogRetry is how soon `binlog sync --follow` tries a failed remote
// again; it doubles with each failure in a row, up to binlogRetryMax, so a
// remote that is down for hours is not an audit line (and a notice) a minute.
const (
	binlogRetry    = time.Minute
	binlogRetryMax = 30 * time.Minute
)

// binlogPush copies the archive off-site during a sync: once at its end,
// or under --follow in the background, each time a file is finished (and
// a minute after a remote failed), so that the stream never waits for an
// upload.
type binlogPush struct {
	e       *Engine
	kick    chan struct{} // nil: no background pusher
	done    chan struct{}
	mu      sync.Mutex
	last    []BinlogOffsite
	seen    int       // files finished when the last push was asked for
	retryAt time.Time // zero: no remote failed
	fails   int       // pushes in a row that failed
}

func (e *Engine) startBinlogPush(ctx context.Context, follow bool) *binlogPush {
	p := &binlogPush{e: e}
	if len(e.Cfg.Remotes) == 0 || !follow {
		return p
	}
	p.kick, p.done = make(chan struct{}, 1), make(chan struct{})
	go func() {
		defer close(p.done)
		for range p.kick {
			res := e.pushBinlog(ctx)
			p.mu.Lock()
			p.last, p.retryAt = res, time.Time{}
			if offsiteFailed(res) {
				p.fails++
				p.retryAt = time.Now().Add(retryAfter(p.fails))
			} else {
				p.fails = 0
			}
			p.mu.Unlock()
		}
	}()
	p.kick <- struct{}{} // what earlier syncs finished and did not copy
	return p
}

// tick is called after each pass of --follow.
func (p *binlogPush) tick(r binlog.SyncResult) {
	if p.kick == nil {
		return
	}
	p.mu.Lock()
	due := len(r.Indexed) > p.seen || !p.retryAt.IsZero() && time.Now().After(p.retryAt)
	if due {
		p.seen, p.retryAt = len(r.Indexed), time.Time{}
	}
	p.mu.Unlock()
	if due {
		select {
		case p.kick <- struct{}{}:
		default: // one is queued already: it sees this file too
		}
	}
}

// finish ends the copies and says how each remote went: a push now
// without --follow (unless the sync could not take the archive), else the
// background pusher's last word.
func (p *binlogPush) finish(ctx context.Context, syncErr error) []BinlogOffsite {
	if p.kick == nil {
		if errors.Is(syncErr, binlog.ErrBusy) || ctx.Err() != nil {
			return nil
		}
		return p.e.pushBinlog(ctx)
	}
	close(p.kick)
	<-p.done
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// retryAfter is the wait after n failures in a row.
func retryAfter(n int) time.Duration {
	return min(binlogRetry<<min(n-1, 10), binlogRetryMax)
}

func offsiteFailed(res []BinlogOffsite) bool {
	for _, o := range res {
		if o.Error != "" {
			return true
		}
	}
	return false
}

// offsiteDetail is what the sync's audit line says about the remotes.
func offsiteDetail(res []BinlogOffsite) string {
	var s string
	for _, o := range res {
		switch {
		case o.Error != "":
			s += fmt.Sprintf("; remote %s: %d files copied, then failed: %s", o.Remote, len(o.Pushed), o.Error)
		case len(o.Pushed) > 0:
			s += fmt.Sprintf("; remote %s: %d files copied", o.Remote, len(o.Pushed))
		}
	}
	return s
}
