package remote

import (
	"context"
	"io"
	"os"
	"sync"
)

// Tail is a file that another goroutine may still be writing: the bytes
// it has written (Grew) can be read at any offset while it writes more,
// so an upload can follow a dump instead of waiting for its end. Safe for
// one writer and one reader.
type Tail struct {
	f    io.ReaderAt
	mu   sync.Mutex
	n    int64 // bytes written so far
	done bool  // no more will come: n is the size
	want int64
	wake chan struct{} // closed when n >= want or done
}

// NewTail follows f, open for reading, as its writer reports its writes.
func NewTail(f *os.File) *Tail { return &Tail{f: f} }

// Whole is a Tail of a finished file of size bytes.
func Whole(f io.ReaderAt, size int64) *Tail { return &Tail{f: f, n: size, done: true} }

// Grew records that n more bytes reached the file.
func (t *Tail) Grew(n int) {
	t.mu.Lock()
	t.n += int64(n)
	if t.wake != nil && t.n >= t.want {
		close(t.wake)
		t.wake = nil
	}
	t.mu.Unlock()
}

// Finish records that the file is whole: the bytes written are its size.
func (t *Tail) Finish() {
	t.mu.Lock()
	t.done = true
	if t.wake != nil {
		close(t.wake)
		t.wake = nil
	}
	t.mu.Unlock()
}

// Size is the bytes written so far and whether the file is whole.
func (t *Tail) Size() (int64, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n, t.done
}

// waitFor blocks until at least want bytes are written or the file is
// whole, and returns the bytes written and whether it is whole.
func (t *Tail) waitFor(ctx context.Context, want int64) (int64, bool, error) {
	for {
		t.mu.Lock()
		if t.n >= want || t.done {
			n, done := t.n, t.done
			t.mu.Unlock()
			return n, done, nil
		}
		ch := make(chan struct{})
		t.want, t.wake = want, ch
		t.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, false, ctx.Err()
		}
	}
}
