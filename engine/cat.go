package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// Cat writes the bytes of backup name to w (`lifeboat cat NAME > copy`):
// the download action. A download cut short (the reader went away) is
// audited as partial, with the bytes that reached w.
func (e *Engine) Cat(ctx context.Context, name string, w io.Writer) error {
	var en catalog.Entry
	if err := e.fetchIfRemoteOnly(ctx, ActionDownload, name, nil); err != nil { // only on a remote: pull it, checked
		return err
	}
	return e.do(ctx, actionSpec{action: ActionDownload, object: name, lock: lockShared, wait: lockWait,
		holder: "cat", prefix: "cat " + name,
		check: func() (err error) {
			if en, err = e.listed(name); err != nil {
				return fmt.Errorf("cat: %w", err)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) error { return e.cat(ctx, en, w, a) })
}

func (e *Engine) cat(ctx context.Context, en catalog.Entry, w io.Writer, a *actionLog) error {
	f, err := os.OpenFile(en.Path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return fmt.Errorf("cat %s: %w", en.Name, err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	n, err := io.Copy(w, ctxReader{ctx, f})
	if err != nil {
		a.Detail = fmt.Sprintf("%d of %d bytes written", n, size)
		err = fmt.Errorf("cat %s: cut short after %d of %d bytes: %w", en.Name, n, size, err)
		if n > 0 {
			a.Result, a.Error = "partial", err.Error()
		}
		return err
	}
	return nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
