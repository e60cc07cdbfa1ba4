// Package progress carries long work's counters to whoever watches: the
// screen, a terminal line, or nobody. Workers bump atomics on a Tracker; a
// ticker turns them into at most ~10 reports a second plus one final one.
package progress

import (
	"sync"
	"sync/atomic"
	"time"
)

// Snapshot is one report of where long work stands.
type Snapshot struct {
	Op          string // "backup", "restore", "verify", "project backup", ...
	Table       string // the table being worked on now
	TablesDone  int64
	TablesTotal int64
	Rows        int64
	RowsTotal   int64 // an estimate (information_schema) or 0 when unknown
	Bytes       int64 // bytes written (dump) or read (restore)
	BytesTotal  int64 // estimate or file size; 0 when unknown
	Statements  int64
	Elapsed     time.Duration
	Done        bool // the final report
	// Waiting, when set, says the work has not started: it waits for a
	// lock ("waiting for the backup started by root at 14:02 (pid 4711)").
	Waiting string
}

// Fraction is how far along the work is, 0..1, or -1 when unknown.
func (s Snapshot) Fraction() float64 {
	switch {
	case s.BytesTotal > 0:
		return clamp(float64(s.Bytes) / float64(s.BytesTotal))
	case s.RowsTotal > 0:
		return clamp(float64(s.Rows) / float64(s.RowsTotal))
	case s.TablesTotal > 0:
		return clamp(float64(s.TablesDone) / float64(s.TablesTotal))
	}
	return -1
}

// Remaining estimates the time left from the fraction done so far.
func (s Snapshot) Remaining() time.Duration {
	f := s.Fraction()
	if f <= 0 || f >= 1 || s.Elapsed <= 0 {
		return 0
	}
	return time.Duration(float64(s.Elapsed) * (1 - f) / f)
}

func clamp(f float64) float64 {
	if f > 1 {
		return 1
	}
	return f
}

// Func receives snapshots. It is called from one goroutine at a time.
type Func func(Snapshot)

// Nop ignores every report.
func Nop(Snapshot) {}

// Tracker holds the live counters. Its methods are safe from any goroutine
// and cheap enough for per-batch (not per-row) calls.
type Tracker struct {
	op          string
	start       time.Time
	table       atomic.Pointer[string]
	tablesDone  atomic.Int64
	tablesTotal atomic.Int64
	rows        atomic.Int64
	rowsTotal   atomic.Int64
	bytes       atomic.Int64
	bytesTotal  atomic.Int64
	statements  atomic.Int64

	report   Func
	stop     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

// Start begins reporting to fn every interval (100 ms when zero) until
// Finish. A nil fn is Nop.
func Start(op string, fn Func, interval time.Duration) *Tracker {
	if fn == nil {
		fn = Nop
	}
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	t := &Tracker{op: op, start: time.Now(), report: fn, stop: make(chan struct{})}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				t.report(t.Snapshot())
			case <-t.stop:
				return
			}
		}
	}()
	return t
}

func (t *Tracker) SetTable(name string)   { t.table.Store(&name) }
func (t *Tracker) TableDone()             { t.tablesDone.Add(1) }
func (t *Tracker) AddRows(n int64)        { t.rows.Add(n) }
func (t *Tracker) AddBytes(n int64)       { t.bytes.Add(n) }
func (t *Tracker) AddStatements(n int64)  { t.statements.Add(n) }
func (t *Tracker) SetTablesTotal(n int64) { t.tablesTotal.Store(n) }
func (t *Tracker) SetRowsTotal(n int64)   { t.rowsTotal.Store(n) }
func (t *Tracker) SetBytesTotal(n int64)  { t.bytesTotal.Store(n) }
func (t *Tracker) SetBytes(n int64)       { t.bytes.Store(n) }

// Snapshot reads the counters now.
func (t *Tracker) Snapshot() Snapshot {
	s := Snapshot{
		Op:          t.op,
		TablesDone:  t.tablesDone.Load(),
		TablesTotal: t.tablesTotal.Load(),
		Rows:        t.rows.Load(),
		RowsTotal:   t.rowsTotal.Load(),
		Bytes:       t.bytes.Load(),
		BytesTotal:  t.bytesTotal.Load(),
		Statements:  t.statements.Load(),
		Elapsed:     time.Since(t.start),
	}
	if p := t.table.Load(); p != nil {
		s.Table = *p
	}
	return s
}

// Finish stops the ticker and sends the final report (Done set). Safe to
// call more than once; only the first call reports.
func (t *Tracker) Finish() {
	t.stopOnce.Do(func() {
		close(t.stop)
		t.wg.Wait()
		s := t.Snapshot()
		s.Done = true
		t.report(s)
	})
}
