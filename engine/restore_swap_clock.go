package engine

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// execer is what the swap window's statements run on: a *sql.Conn, or a
// swapClock timing each statement on it.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// swapStep is one statement of the swap window and how long it took.
type swapStep struct {
	SQL  string // the statement's first words
	Took time.Duration
}

// swapClock runs statements on c and notes how long each one took, so
// the window's slowest statement can be named (issue 18: the window must
// be milliseconds).
type swapClock struct {
	c     execer
	steps []swapStep
}

func (k *swapClock) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	start := time.Now()
	r, err := k.c.ExecContext(ctx, query, args...)
	k.steps = append(k.steps, swapStep{SQL: stepLabel(query), Took: time.Since(start)})
	return r, err
}

// stepLabel is a statement's first 60 bytes on one line.
func stepLabel(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 60 {
		q = q[:60] + "…"
	}
	return q
}

// swapStepsHook, when set (tests), gets the timed statements of each
// swap window.
var swapStepsHook func([]swapStep)
