package sandbox_test

import (
	"strconv"

	"github.com/lifeboat-dev/lifeboat/engine/sandbox"
)

func sandboxOptions() sandbox.Options { return sandbox.Options{} }

func itoa(n int) string { return strconv.Itoa(n) }
