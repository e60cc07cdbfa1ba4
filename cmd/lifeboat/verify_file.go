package main

import (
	"context"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// verifyFile is `lifeboat verify --file PATH [--manifest PATH]`: a copy
// outside backup.dir checked against its manifest (issue 13 item 17).
func verifyFile(ctx context.Context, e *env, pos []string, file, manifest string, withRestore bool) error {
	switch {
	case file == "":
		return usageErr("--manifest goes with --file: lifeboat verify --file PATH --manifest PATH")
	case len(pos) > 0:
		return usageErr("verify takes NAME or --file PATH, not both")
	case withRestore:
		return usageErr("verify --file checks the copy only; --restore works on backups in backup.dir")
	}
	if err := e.eng.Allowed(engine.ActionVerify); err != nil {
		return err
	}
	res, err := e.eng.VerifyFile(ctx, file, manifest, e.progressLine())
	if err != nil {
		return err
	}
	return e.printChecks("verify", res.Filename, res.OK, res.Checks, 20)
}
