package catalog

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestCompressionRoundTrip(t *testing.T) {
	payload := []byte(strings.Repeat("INSERT INTO `t` VALUES (1,'a\\'b'),(2,NULL);\n", 50000))
	for _, c := range []string{"gzip", "zstd", "none"} {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, c)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(payload)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if c != "none" && buf.Len() >= len(payload)/10 {
			t.Errorf("%s: %d bytes for %d: not compressed", c, buf.Len(), len(payload))
		}
		r, err := NewReader(bytes.NewReader(buf.Bytes()), c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("%s: round trip differs (err %v)", c, err)
		}
		if c == "none" {
			continue
		}
		// A flipped byte in the middle must be caught by the stream checksum.
		bad := bytes.Clone(buf.Bytes())
		bad[len(bad)/2] ^= 0xff
		r, err = NewReader(bytes.NewReader(bad), c)
		if err == nil {
			_, err = io.Copy(io.Discard, r)
		}
		if err == nil {
			t.Errorf("%s: flipped byte not detected", c)
		}
	}
}
