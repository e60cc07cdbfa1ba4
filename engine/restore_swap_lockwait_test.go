package engine

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestSwapLongHolder: a transaction holds a live table for
// 4 s when the swap comes. The swap gives up its lock waits after
// swapLockWait, puts the trigger back and tries again until the
// transaction ends, so another query of the application never waits the
// whole 4 s behind the swap (it would without the limit), and the
// restore then goes through with live wholly new.
func TestSwapLongHolder(t *testing.T) {
	d, e, name, _, neu := swapFixture(t, 2000)
	ctx := context.Background()
	holder, err := d.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	const hold = 4 * time.Second
	var (
		mu       sync.Mutex
		slowest  time.Duration
		tries    int
		held     bool
		released = make(chan struct{})
	)
	swapStageHook = func(stage string, _ int64) {
		if stage != "loaded" {
			return
		}
		held = true
		if _, err := holder.ExecContext(ctx, "BEGIN"); err != nil {
			t.Error(err)
		}
		var g string
		if err := holder.QueryRowContext(ctx, "SELECT g FROM gen").Scan(&g); err != nil { // holds gen's metadata lock until COMMIT
			t.Error(err)
		}
		go func() {
			time.Sleep(hold)
			if _, err := holder.ExecContext(ctx, "COMMIT"); err != nil {
				t.Error(err)
			}
			close(released)
		}()
		go func() { // the application's other queries, on a table the transaction does not hold
			for {
				select {
				case <-released:
					return
				default:
				}
				start := time.Now()
				var n int
				if err := d.DB.QueryRow("SELECT COUNT(*) FROM big WHERE id < 100").Scan(&n); err != nil {
					t.Errorf("reader: %v", err)
				}
				mu.Lock()
				slowest = max(slowest, time.Since(start))
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	swapStepsHook = func([]swapStep) { tries++ }
	defer func() { swapStageHook, swapStepsHook = nil, nil }()
	res, err := e.Restore(ctx, name, RestoreOptions{}, nil)
	if !held {
		t.Fatalf("the restore never reached its loaded copy: %+v, %v", res, err)
	}
	<-released
	if err != nil || res.Mode != ModeSwap {
		t.Fatalf("restore %+v: %v", res, err)
	}
	sameFingerprint(t, neu, swapFingerprint(t, d, d.Name))
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d tries, last window %v; the slowest other query waited %v (the transaction held gen for %v)", tries, res.SwapWindow, slowest, hold)
	if tries < 2 {
		t.Errorf("%d tries: the swap did not wait for the transaction", tries)
	}
	if slowest >= hold-time.Second {
		t.Errorf("another query waited %v behind the swap: the lock wait is not limited", slowest)
	}
}
