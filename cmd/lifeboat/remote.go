package main

import (
	"context"
	"flag"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

func cmdPush(ctx context.Context, e *env, args []string) error {
	return copyCommand(ctx, e, "push", args)
}

func cmdPull(ctx context.Context, e *env, args []string) error {
	return copyCommand(ctx, e, "pull", args)
}

// copyCommand runs push or pull of one backup to or from a remote.
func copyCommand(ctx context.Context, e *env, verb string, args []string) error {
	fs := flag.NewFlagSet(verb, flag.ContinueOnError)
	rem := fs.String("remote", "", "the [[remote]] name (default: the first)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("usage: lifeboat %s NAME [--remote R]", verb)
	}
	run, msg := e.eng.Push, "Backup copied to the remote"
	if verb == "pull" {
		run, msg = e.eng.Pull, "Backup fetched from the remote and checked against its manifest"
	}
	res, err := run(ctx, pos[0], engine.RemoteOptions{Remote: *rem}, e.progressLine())
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(copyReply{Success: true, Message: msg, Copy: copyJSON{Filename: res.Filename, Remote: res.Remote,
			Filesize: res.Size, FilesizeFormatted: humanBytes(res.Size), SHA256: res.SHA256, DurationMS: res.Duration.Milliseconds()}})
	}
	dir := "to"
	if verb == "pull" {
		dir = "from"
	}
	e.say("%s %s %s %s: %s in %s (%s/s), sha256 %s", verb, res.Filename, dir, res.Remote, humanBytes(res.Size),
		res.Duration.Round(time.Millisecond), humanBytes(rate(res.Size, res.Duration)), res.SHA256)
	return nil
}

func rate(n int64, d time.Duration) int64 {
	if d <= 0 {
		return n
	}
	return int64(float64(n) / d.Seconds())
}

func offsiteOf(cs []engine.OffsiteCopy) []offsiteJSON {
	out := make([]offsiteJSON, len(cs))
	for i, c := range cs {
		out[i] = offsiteJSON{Remote: c.Remote, Success: c.OK, Error: c.Error}
	}
	return out
}

func locationsOf(ls []engine.Location) []locationJSON {
	if ls == nil {
		return nil
	}
	out := make([]locationJSON, len(ls))
	for i, l := range ls {
		out[i] = locationJSON{Name: l.Name, State: l.State}
	}
	return out
}

func (e *env) remotesOf(rs []engine.RemoteStatus) []remoteStatusJSON {
	out := make([]remoteStatusJSON, len(rs))
	for i, r := range rs {
		out[i] = remoteStatusJSON{Name: r.Name, Reachable: r.Reachable, TotalBackups: r.Total, TotalSize: r.TotalSize, Error: r.Error}
		if r.Newest != "" {
			out[i].NewestBackup = &briefJSON{Filename: r.Newest, CreatedAt: e.seedTime(r.NewestTime)}
		}
	}
	return out
}

// printRemotes is status's line per remote.
func (e *env) printRemotes(rs []engine.RemoteStatus) {
	for _, r := range rs {
		if !r.Reachable {
			safef(e.stdout, "remote     %s  ✗ unreachable: %s\n", r.Name, r.Error)
			continue
		}
		newest := "none yet"
		if r.Newest != "" {
			newest = r.Newest
		}
		safef(e.stdout, "remote     %s  ✓ reachable  %d backups, %s; newest %s\n", r.Name, r.Total, humanBytes(r.TotalSize), newest)
	}
}

func remoteDeletes(plan engine.PruneResult) bool {
	for _, r := range plan.Remotes {
		if len(r.Deleted) > 0 || len(r.ProjectDeleted) > 0 {
			return true
		}
	}
	return false
}

func (e *env) sayRemotePlan(plan engine.PruneResult) {
	for _, r := range plan.Remotes {
		for _, n := range r.Deleted {
			e.say("  %s on remote %s (keeping its newest %d)", n, r.Remote, r.Keep)
		}
		for _, n := range r.ProjectDeleted {
			e.say("  %s on remote %s (keeping the newest %d of each project)", n, r.Remote, r.ProjectKeep)
		}
	}
}

func (e *env) sayRemotePrunes(rs []engine.RemotePrune, verb string) {
	for _, r := range rs {
		for _, n := range r.Deleted {
			safef(e.stdout, "%s %s on remote %s\n", verb, n, r.Remote)
		}
		if r.Error != "" {
			e.say("WARNING: remote %s not pruned: %s", r.Remote, r.Error)
			continue
		}
		e.say("remote %s: %d file(s) %s, %s freed, %d kept", r.Remote, len(r.Deleted), verb, humanBytes(r.SpaceFreed), r.FilesBefore-len(r.Deleted))
		for _, n := range r.ProjectDeleted {
			safef(e.stdout, "%s %s on remote %s\n", verb, n, r.Remote)
		}
		e.say("remote %s: %d project backup(s) %s, %s freed, %d kept (newest %d of each project)", r.Remote, len(r.ProjectDeleted), verb,
			humanBytes(r.ProjectSpaceFreed), r.ProjectFilesBefore-len(r.ProjectDeleted), r.ProjectKeep)
		e.sayRemoteBinlogPrune(r, verb)
	}
}

func remotePrunesOf(rs []engine.RemotePrune) []remotePruneJSON {
	out := make([]remotePruneJSON, len(rs))
	for i, r := range rs {
		out[i] = remotePruneJSON{Name: r.Remote, MaxBackupsKept: r.Keep, FilesBefore: r.FilesBefore, FilesDeleted: len(r.Deleted),
			Deleted: orEmpty(r.Deleted), SpaceFreed: r.SpaceFreed, SpaceFreedFormatted: humanBytes(r.SpaceFreed), Error: r.Error,
			Projects: remoteProjectPruneJSON{MaxBackupsKept: r.ProjectKeep, FilesBefore: r.ProjectFilesBefore, FilesDeleted: len(r.ProjectDeleted),
				Deleted: orEmpty(r.ProjectDeleted), SpaceFreed: r.ProjectSpaceFreed, SpaceFreedFormatted: humanBytes(r.ProjectSpaceFreed)},
			BinlogDeleted: orEmpty(r.BinlogDeleted)}
	}
	return out
}
