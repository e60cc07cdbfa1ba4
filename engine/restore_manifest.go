package engine

import "github.com/lifeboat-dev/lifeboat/engine/catalog"

// restoreManifest is the one place restore and its plan read a backup's
// manifest: signed by this host or a trusted key (see trustedManifest).
// An error wrapping os.ErrNotExist means the file has none, one wrapping
// ErrUntrusted that its manifest is unsigned or signed by another key:
// both make the file foreign, read and checked as such.
func (e *Engine) restoreManifest(name string) (*catalog.Manifest, error) {
	return e.trustedManifest(name)
}
