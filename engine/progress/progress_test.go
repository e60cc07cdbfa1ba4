package progress

import (
	"sync"
	"testing"
	"time"
)

func TestTrackerThrottlesAndSendsOneFinalReport(t *testing.T) {
	var mu sync.Mutex
	var got []Snapshot
	tr := Start("backup", func(s Snapshot) {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}, 20*time.Millisecond)
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
	time.Sleep(70 * time.Millisecond)
	tr.Finish()
	tr.Finish() // a second call reports nothing

	mu.Lock()
	defer mu.Unlock()
	if len(got) < 2 || len(got) > 10 {
		t.Fatalf("%d reports in ~70 ms at a 20 ms interval; want a few, never one per row", len(got))
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
