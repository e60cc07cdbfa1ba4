package catalog

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestEnvelope04ClaimSecondWaitsForTheNextSecond: the one "name taken,
// wait for the next second" loop, shared by full and project backups.
func TestEnvelope04ClaimSecondWaitsForTheNextSecond(t *testing.T) {
	var tried []time.Time
	got, err := ClaimSecond(context.Background(), time.UTC, 3, func(now time.Time) error {
		tried = append(tried, now)
		if len(tried) == 1 {
			return ErrNameTaken
		}
		return nil
	})
	if err != nil || len(tried) != 2 {
		t.Fatalf("ClaimSecond: %v after %d tries, want success on the second", err, len(tried))
	}
	if !got.Equal(tried[1]) || got.Truncate(time.Second).Unix() <= tried[0].Truncate(time.Second).Unix() {
		t.Fatalf("claimed %v after %v was taken: want a later second", got, tried[0])
	}

	boom := errors.New("disk full")
	n := 0
	if _, err := ClaimSecond(context.Background(), time.UTC, 3, func(time.Time) error { n++; return boom }); !errors.Is(err, boom) || n != 1 {
		t.Fatalf("another error: %v after %d tries, want it at once", err, n)
	}
	n = 0
	if _, err := ClaimSecond(context.Background(), time.UTC, 2, func(time.Time) error { n++; return ErrNameTaken }); !errors.Is(err, ErrNameTaken) || n != 2 {
		t.Fatalf("always taken: %v after %d tries, want ErrNameTaken after 2", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ClaimSecond(ctx, time.UTC, 3, func(time.Time) error { return ErrNameTaken }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
