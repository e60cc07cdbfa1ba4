package engine

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestSwapLiveReaders runs SELECTs on the live database throughout a swap
// restore and then a restore --undo, as an application would: every
// answer is wholly the old data or wholly the new, old, then new, then old
// again, a table is never empty or missing, at most one query fails in
// each window, and the undo takes under a second. It logs both windows.
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
	var windows [][]swapStep
	swapStepsHook = func(s []swapStep) { windows = append(windows, s) }
	defer func() { swapStepsHook = nil }()
	time.Sleep(50 * time.Millisecond)
	res, err := e.Restore(context.Background(), name, RestoreOptions{}, nil)
	time.Sleep(100 * time.Millisecond)
	var u UndoResult
	if err == nil {
		u, err = e.Undo(context.Background(), "")
	}
	time.Sleep(100 * time.Millisecond)
	stop()
	wg.Wait()
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("restore %+v, undo %+v: %v", res, u, err)
	}
	// phase 0: old (the load runs), 1: new (restored), 2: old (undone)
	phase, seen, failed := 0, [3]int{}, 0
	for i, a := range answers {
		switch {
		case a.err != nil:
			failed++
			t.Logf("query %d failed: %v", i, a.err)
			continue
		case a.gen == "old" && a.view == "old" && a.n == rows-10:
			if phase == 1 {
				phase = 2
			}
		case a.gen == "new" && a.view == "new" && a.n == rows:
			if phase == 2 {
				t.Fatalf("answer %d is new data after the undo", i)
			}
			phase = 1
		default:
			t.Fatalf("answer %d is neither wholly old nor wholly new: %+v", i, a)
		}
		seen[phase]++
	}
	t.Logf("%d queries: %d old, %d new, %d old again, %d failed; swap window %v, restore %v; undo window %v, undo %v",
		len(answers), seen[0], seen[1], seen[2], failed, res.SwapWindow, res.Duration, u.SwapWindow, u.Duration)
	for i, w := range windows {
		t.Logf("window %d:", i+1)
		logSteps(t, w)
	}
	if seen[0] < 10 || seen[1] < 1 || seen[2] < 1 || failed > 2 {
		t.Fatalf("answers %v (old, new, old again), %d failed: want many old (the load ran while reading), then new, then old, at most one failure per window", seen, failed)
	}
	if u.Duration > time.Second {
		t.Fatalf("undo took %v: want under a second", u.Duration)
	}
}
