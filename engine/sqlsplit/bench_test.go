package sqlsplit

import (
	"bytes"
	"context"
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

// BenchmarkInspect is the restore's pre-pass on the same data: split,
// classify, count and gate every statement.
func BenchmarkInspect(b *testing.B) {
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
		rep, err := Inspect(context.Background(), bytes.NewReader(data), InspectOptions{Gate: GateOptions{Target: "app"}})
		if err != nil || rep.Refusal != nil || rep.Rows == 0 {
			b.Fatal(err, rep.Refusal)
		}
	}
}
