package main

import (
	"context"
	"flag"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// projectPull is `lifeboat project pull ID NAME [--remote R]`: it fetches
// a project backup from <prefix>projects/<id>/ on a remote, checked
// against its signed manifest (issue 20).
func projectPull(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("project pull", flag.ContinueOnError)
	rem := fs.String("remote", "", "the [[remote]] name (default: the first)")
	pos, err := projectArgs(fs, args, 2, "pull ID NAME [--remote R]")
	if err != nil {
		return err
	}
	res, err := e.eng.ProjectPull(ctx, pos[0], pos[1], engine.RemoteOptions{Remote: *rem}, e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(copyReply{Success: true, Message: "Project backup fetched from the remote and checked against its manifest",
			Copy: copyJSON{Filename: res.Filename, Remote: res.Remote, Filesize: res.Size, FilesizeFormatted: humanBytes(res.Size),
				SHA256: res.SHA256, DurationMS: res.Duration.Milliseconds()}})
	}
	e.say("pull %s from %s: %s in %s (%s/s), sha256 %s", res.Filename, res.Remote, humanBytes(res.Size),
		res.Duration.Round(time.Millisecond), humanBytes(rate(res.Size, res.Duration)), res.SHA256)
	return nil
}
