package main

import (
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// runTests runs the package's tests and stops the throwaway servers the
// end-to-end tests started.
func runTests(m *testing.M) int {
	code := m.Run()
	testdb.StopAll()
	return code
}
