package engine

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestSwapLiveReaders runs SELECTs on the live database throughout a swap
// restore, as an application would: every answer is wholly the old data
// or wholly the new, old before new, a table is never empty or missing,
// and at most one query fails (during the window).
func TestSwapLiveReaders(t *testing.T) {
	const rows = 150000
	d, e, name, _, _ := swapFixture(t, rows)
	ctx, stop := context.WithCancel(context.Background())
	type answer struct {
		gen, view string
		n         int
		err       error
	}
	var (
		mu      sync.Mutex
		answers []answer
		wg      sync.WaitGroup
	)
	pool, err := d.Server.Open(d.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	pool.SetMaxOpenConns(1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			var a answer
			a.err = pool.QueryRow("SELECT (SELECT g FROM gen), (SELECT COUNT(*) FROM big), (SELECT g FROM v_gen)").Scan(&a.gen, &a.n, &a.view)
			mu.Lock()
			answers = append(answers, a)
			mu.Unlock()
			time.Sleep(2 * time.Millisecond)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	res, err := e.Restore(context.Background(), name, RestoreOptions{}, nil)
	time.Sleep(100 * time.Millisecond)
	stop()
	wg.Wait()
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("restore %+v: %v", res, err)
	}
	oldAns, newAns, failed := 0, 0, 0
	for i, a := range answers {
		switch {
		case a.err != nil:
			failed++
			t.Logf("query %d failed: %v", i, a.err)
		case a.gen == "old" && a.view == "old" && a.n == rows-10:
			if newAns > 0 {
				t.Fatalf("answer %d is old data after new data", i)
			}
			oldAns++
		case a.gen == "new" && a.view == "new" && a.n == rows:
			newAns++
		default:
			t.Fatalf("answer %d is neither wholly old nor wholly new: %+v", i, a)
		}
	}
	t.Logf("%d queries: %d old, %d new, %d failed; swap window %v, restore %v", len(answers), oldAns, newAns, failed, res.SwapWindow, res.Duration)
	if oldAns < 10 || newAns < 1 || failed > 1 {
		t.Fatalf("%d old answers, %d new, %d failed: want many old (the load ran while reading), then new, at most one failure", oldAns, newAns, failed)
	}
}
