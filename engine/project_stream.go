package engine

import (
	"io"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/project"
)

// Project backups are stored as full backups are (issue 13 item 16):
// the JSON compressed as backup.compression says. Package project cannot
// import catalog, so the engine hands it the writer and the reader.

// projectCompression is how new project backups are compressed.
func (e *Engine) projectCompression() string {
	if c := e.Cfg.Backup.Compression; c != "" {
		return c
	}
	return "gzip"
}

// projectWrap is the writer of a new project backup's bytes.
func (e *Engine) projectWrap(compression string) project.Wrap {
	return func(w io.Writer) (io.WriteCloser, error) {
		return catalog.NewStreamWriter(w, compression, nil)
	}
}

// projectOpen reads a project backup's JSON as its name says: plain
// .json (older backups), .json.gz or .json.zst.
func (e *Engine) projectOpen() project.Open {
	return func(name string, r io.Reader) (io.ReadCloser, error) {
		st, err := e.streamFor(name, nil)
		if err != nil {
			return nil, err
		}
		return st.Reader(r)
	}
}
