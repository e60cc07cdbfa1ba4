package sqlsplit

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

// BenchmarkSplit measures throughput on dump-like INSERTs.
func BenchmarkSplit(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 32<<20; i++ {
		buf.WriteString("INSERT INTO `orders` VALUES ")
		for j := 0; j < 500; j++ {
			if j > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprintf(&buf, "(%d,'customer %d','it\\'s a note; with text',12.50,'2026-11-23 02:00:00',NULL)", i*500+j, j)
		}
		buf.WriteString(";\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		s := New(bytes.NewReader(data))
		rows := 0
		for {
			st, err := s.Next()
			if err == io.EOF {
				break
			}
			rows += st.Rows
		}
		if rows == 0 {
			b.Fatal("no rows")
		}
	}
}
