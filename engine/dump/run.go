package dump

import (
	"context"
	"database/sql"
	"io"
	"strings"
	"sync"

	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"github.com/lifeboat-dev/lifeboat/engine/sqlsplit"
)

// run reads the chunks on every connection and writes all parts to w in
// plan order from this goroutine alone. Memory stays bounded: each chunk
// holds at most aheadBytes of statements (or one larger statement) plus
// the one being built, and a worker only moves on to a later chunk once
// its current one is drained.
func run(ctx context.Context, cancel context.CancelCauseFunc, s *session, opts Options, parts []part, w io.Writer, res *Result, tr *progress.Tracker) error {
	jobs := make(chan *chunk)
	var wg sync.WaitGroup
	for i, c := range s.conns {
		wg.Add(1)
		go func(c *sql.Conn) {
			defer wg.Done()
			for ch := range jobs {
				ch.conn = i
				err := readChunk(ctx, c, ch, tr)
				close(ch.out)
				ch.done <- err
				if err != nil {
					cancel(err) // stop the others now; the writer reports err
				}
			}
		}(c)
	}
	go func() { // hand chunks out in plan order
		defer close(jobs)
		for _, p := range parts {
			if p.chunk == nil {
				continue
			}
			select {
			case jobs <- p.chunk:
			case <-ctx.Done():
				return
			}
		}
	}()
	err := write(ctx, opts, parts, w, res, tr)
	if err != nil {
		cancel(err)
	}
	wg.Wait()
	return err
}

func write(ctx context.Context, opts Options, parts []part, w io.Writer, res *Result, tr *progress.Tracker) error {
	put := func(b []byte) error {
		if _, err := w.Write(b); err != nil {
			return err
		}
		res.Bytes += int64(len(b))
		tr.AddBytes(int64(len(b)))
		return nil
	}
	for _, p := range parts {
		if p.chunk == nil {
			res.LargestStatement = max(res.LargestStatement, largestIn(p.text))
			if err := put([]byte(p.text)); err != nil {
				return err
			}
			continue
		}
		ch := p.chunk
		if ch.first {
			tr.SetTable(ch.t.name)
			if err := put(lockLine(ch.t.name, true)); err != nil {
				return err
			}
		}
		if err := drain(ctx, ch, put); err != nil {
			return err
		}
		res.Tables[ch.t.resKey] += ch.rows
		res.LargestStatement = max(res.LargestStatement, int64(ch.maxStmt))
		res.LargestValue = max(res.LargestValue, int64(ch.maxValue))
		if ch.note != "" {
			res.Notes = append(res.Notes, ch.note)
		}
		if ch.last {
			if err := put(lockLine(ch.t.name, false)); err != nil {
				return err
			}
			tr.TableDone()
		}
	}
	return nil
}

// largestIn measures the statements of a piece of schema text the way a
// restore cuts them.
func largestIn(text string) int64 {
	sp := sqlsplit.New(strings.NewReader(text))
	var n int64
	for {
		st, err := sp.Next()
		if err != nil {
			return n // io.EOF; the text is ours, never malformed
		}
		n = max(n, int64(len(st.SQL)))
	}
}

// drain copies one chunk's statements, then takes its worker's verdict.
func drain(ctx context.Context, ch *chunk, put func([]byte) error) error {
	for {
		select {
		case b, ok := <-ch.out:
			if !ok {
				select {
				case err := <-ch.done:
					return err
				case <-ctx.Done():
					return context.Cause(ctx)
				}
			}
			err := put(*b)
			ch.ahead.Release(aheadCost(len(*b)))
			putBuf(b)
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// lockLine brackets a table's data with DISABLE/ENABLE KEYS, so loading a
// MyISAM table rebuilds its indexes once. No LOCK TABLES: a default that
// calls NEXTVAL would fail under it.
func lockLine(name string, start bool) []byte {
	if start {
		b := []byte("\n--\n-- Data for " + commentName(name) + "\n--\n\n/*!40000 ALTER TABLE ")
		b = quoteIdent(b, name)
		return append(b, " DISABLE KEYS */;\n"...)
	}
	b := []byte("/*!40000 ALTER TABLE ")
	b = quoteIdent(b, name)
	return append(b, " ENABLE KEYS */;\n"...)
}
