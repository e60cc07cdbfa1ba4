package engine

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// CatManifest writes the manifest of backup name to w, byte for byte as
// signed (`lifeboat cat NAME --manifest > NAME.json`), so that a copy made
// with `lifeboat cat` can be checked where it landed with `lifeboat verify
// --file`. A file without a manifest (foreign, incomplete) is refused.
func (e *Engine) CatManifest(ctx context.Context, name string, w io.Writer) error {
	var en catalog.Entry
	return e.do(ctx, actionSpec{action: ActionDownload, object: name, detail: "manifest", lock: lockShared, wait: lockWait,
		holder: "cat", prefix: "cat " + name + " --manifest",
		check: func() (err error) {
			if en, err = e.listed(name); err != nil {
				return fmt.Errorf("cat: %w", err)
			}
			if !en.Ours {
				return fmt.Errorf("cat %s --manifest: it has no lifeboat manifest (%s): %w", name, en.State, os.ErrNotExist)
			}
			return nil
		},
	}, func(ctx context.Context, a *actionLog) error {
		f, err := os.OpenFile(filepath.Join(filepath.Dir(en.Path), catalog.ManifestName(en.Name)), os.O_RDONLY|syscall.O_NOFOLLOW, 0)
		if err != nil {
			return fmt.Errorf("cat %s --manifest: %w", name, err)
		}
		defer f.Close()
		if _, err := io.Copy(w, ctxReader{ctx, f}); err != nil {
			return fmt.Errorf("cat %s --manifest: %w", name, err)
		}
		return nil
	})
}
