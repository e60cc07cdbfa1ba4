package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func cmdVersion(ctx context.Context, e *env, args []string) error {
	if e.json {
		return e.printJSON(versionReply{Version: engine.Version, Go: runtime.Version()})
	}
	fmt.Fprintf(e.stdout, "lifeboat %s (%s %s/%s)\n", engine.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}
