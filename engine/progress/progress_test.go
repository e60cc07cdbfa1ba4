package progress

import (
	"sync"
	"testing"
	"time"
)

// TestTrackerThrottlesAndSendsOneFinalReport: reports come from the
// ticker, never one per row, plus one final report. The test waits for a
// tick that saw the last change (an event), and bounds the count by the
// ticks that can have fired in the time that passed, a bound that only
// grows on a loaded machine (issue 21 item 13).
func TestTrackerThrottlesAndSendsOneFinalReport(t *testing.T) {
	var mu sync.Mutex
	var got []Snapshot
	sawOrders := make(chan struct{})
	var once sync.Once
	const interval = 20 * time.Millisecond
	start := time.Now()
	tr := Start("backup", func(s Snapshot) {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
		if s.Table == "orders" && !s.Done {
			once.Do(func() { close(sawOrders) })
		}
	}, interval)
	tr.SetTablesTotal(2)
	tr.SetRowsTotal(1000)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ { // counters are bumped from several goroutines
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 10000; i++ {
				tr.AddRows(1)
				tr.AddBytes(10)
			}
		}()
	}
	wg.Wait()
	tr.SetTable("orders")
	select {
	case <-sawOrders:
	case <-time.After(time.Minute): // hang guard
		t.Fatal("no periodic report after the table changed")
	}
	tr.Finish()
	elapsed := time.Since(start)
	tr.Finish() // a second call reports nothing

	mu.Lock()
	defer mu.Unlock()
	if ticks := int(elapsed/interval) + 1; len(got) < 2 || len(got)-1 > ticks {
		t.Fatalf("%d reports in %v at a %v interval; want at least one tick and at most %d, never one per row", len(got), elapsed, interval, ticks)
	}
	last := got[len(got)-1]
	if !last.Done || last.Rows != 40000 || last.Bytes != 400000 || last.Table != "orders" || last.Op != "backup" {
		t.Fatalf("final report %+v", last)
	}
	for _, s := range got[:len(got)-1] {
		if s.Done {
			t.Fatal("a report before the last is marked done")
		}
	}
}

func TestFractionAndRemaining(t *testing.T) {
	s := Snapshot{Bytes: 25, BytesTotal: 100, Elapsed: 10 * time.Second}
	if f := s.Fraction(); f != 0.25 {
		t.Fatalf("fraction %v, want 0.25", f)
	}
	if r := s.Remaining(); r != 30*time.Second {
		t.Fatalf("remaining %v, want 30s", r)
	}
	if f := (Snapshot{Rows: 5, RowsTotal: 4}).Fraction(); f != 1 {
		t.Fatalf("an estimate exceeded must clamp to 1, got %v", f)
	}
	if f := (Snapshot{}).Fraction(); f != -1 {
		t.Fatalf("unknown totals: %v, want -1", f)
	}
}
