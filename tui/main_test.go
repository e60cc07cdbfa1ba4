package tui

import (
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestMain stops the throwaway MariaDB the real-engine tests start.
func TestMain(m *testing.M) { testdb.Main(m) }
