package catalog

import (
	"context"
	"errors"
	"time"
)

// ErrNameTaken is returned by a claim that found its name in use.
var ErrNameTaken = errors.New("a backup with this second's name exists")

// ClaimSecond calls claim with the time now in loc until it succeeds.
// Backup names have one-second resolution, so when claim reports
// ErrNameTaken (two backups in one second) it waits for the next second
// and tries again, at most tries times; any other error ends it at once.
func ClaimSecond(ctx context.Context, loc *time.Location, tries int, claim func(now time.Time) error) (time.Time, error) {
	var err error
	for try := 1; ; try++ {
		now := time.Now().In(loc)
		if err = claim(now); !errors.Is(err, ErrNameTaken) || try >= tries {
			return now, err
		}
		select {
		case <-ctx.Done():
			return now, ctx.Err()
		case <-time.After(time.Until(now.Truncate(time.Second).Add(time.Second))):
		}
	}
}
