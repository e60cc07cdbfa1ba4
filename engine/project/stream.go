package project

import "io"

// A project backup file is its JSON, perhaps compressed and encrypted
// (project_…json.gz, …json.gz.age). How is the engine's choice, as for
// full backups; this package takes the two functions and never imports
// the code that compresses or decrypts.

// Wrap returns the writer that turns JSON into the file's bytes, written
// to w. Closing it flushes every layer; it does not close w. A nil Wrap
// writes plain JSON.
type Wrap func(w io.Writer) (io.WriteCloser, error)

// Open returns the JSON inside backup file name, read from r: decrypted
// and decompressed as name (or its manifest) says. Closing it does not
// close r. A nil Open reads plain JSON.
type Open func(name string, r io.Reader) (io.ReadCloser, error)

func (o Open) open(name string, r io.Reader) (io.ReadCloser, error) {
	if o == nil {
		return io.NopCloser(r), nil
	}
	return o(name, r)
}

func (w Wrap) wrap(out io.Writer) (io.WriteCloser, error) {
	if w == nil {
		return nopWriteCloser{out}, nil
	}
	return w(out)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
