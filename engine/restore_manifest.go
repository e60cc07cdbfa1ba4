package engine

import "github.com/lifeboat-dev/lifeboat/engine/catalog"

// restoreManifest is the one place restore and its plan read a backup's
// manifest. The signing work swaps it for a lookup that reports unsigned
// or foreign-signed manifests as untrusted (the file is then treated as
// foreign). An error wrapping os.ErrNotExist means the file has none.
func (e *Engine) restoreManifest(name string) (*catalog.Manifest, error) {
	return catalog.ReadManifest(e.dir(), name)
}
