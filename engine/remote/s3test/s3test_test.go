package s3test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// fatalTB records the Fatalf that ends a test, as the real one would.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, a ...any) {
	f.msg = fmt.Sprintf(format, a...)
	runtime.Goexit()
}

// TestRemote02MissingVersitygwFailsWithTheReason: without the binary a
// test fails (never skips) and says how to get it.
func TestRemote02MissingVersitygwFailsWithTheReason(t *testing.T) {
	t.Setenv("LIFEBOAT_VERSITYGW", "/nonexistent/versitygw")
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() { defer close(done); Start(f) }()
	<-done
	if !strings.Contains(f.msg, "/nonexistent/versitygw") || !strings.Contains(f.msg, "make versitygw") {
		t.Fatalf("Start without the binary: %q", f.msg)
	}
}
