package catalog

import (
	"bufio"
	"fmt"
	"io"
	"runtime"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
)

// Markers every lifeboat dump carries, so readers can tell our files from
// foreign ones and whole files from cut ones.
const (
	// HeaderPrefix starts the first line of a lifeboat dump.
	HeaderPrefix = "-- lifeboat dump"
	// CompletionPrefix starts the last line of a whole dump, ours or
	// mysqldump's/mariadb-dump's ("-- Dump completed on ...").
	CompletionPrefix = "-- Dump completed"
)

// NewWriter wraps w in the compressor for compression ("gzip", "zstd",
// "none"). Close the result to flush it; closing does not close w.
func NewWriter(w io.Writer, compression string) (io.WriteCloser, error) {
	switch compression {
	case "gzip", "":
		gz, err := pgzip.NewWriterLevel(w, 6)
		if err != nil {
			return nil, err
		}
		// 1 MB blocks over every core: parallel, at gzip -6's ratio.
		if err := gz.SetConcurrency(1<<20, runtime.GOMAXPROCS(0)*2); err != nil {
			return nil, err
		}
		return gz, nil
	case "zstd":
		return zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(runtime.GOMAXPROCS(0)))
	case "none":
		return nopCloser{w}, nil
	}
	return nil, fmt.Errorf("unknown compression %q: use gzip, zstd or none", compression)
}

// NewReader decompresses r according to compression. A damaged stream
// fails with an error from the decompressor (checksums are verified at the
// end of the stream).
func NewReader(r io.Reader, compression string) (io.ReadCloser, error) {
	switch compression {
	case "gzip", "":
		gz, err := pgzip.NewReader(bufio.NewReaderSize(r, 1<<20))
		if err != nil {
			return nil, fmt.Errorf("not a gzip file: %w", err)
		}
		return gz, nil
	case "zstd":
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, fmt.Errorf("not a zstd file: %w", err)
		}
		return zr.IOReadCloser(), nil
	case "none":
		return io.NopCloser(r), nil
	}
	return nil, fmt.Errorf("unknown compression %q", compression)
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
