package project

import (
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
