package main

import (
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// binlogOffsiteJSON is binlog sync --json "offsite[]": one per [[remote]].
type binlogOffsiteJSON struct {
	Name   string   `json:"name"`
	Pushed []string `json:"pushed"`
	Error  string   `json:"error"`
}

// windowOffsiteJSON is status --json "recoverable_window.offsite".
type windowOffsiteJSON struct {
	Files    int      `json:"files_only_offsite"`
	Remotes  []string `json:"remotes"`
	Warnings []string `json:"warnings"`
}

func binlogOffsiteOf(rs []engine.BinlogOffsite) []binlogOffsiteJSON {
	out := make([]binlogOffsiteJSON, len(rs))
	for i, r := range rs {
		out[i] = binlogOffsiteJSON{Name: r.Remote, Pushed: orEmpty(r.Pushed), Error: r.Error}
	}
	return out
}

// sayBinlogOffsite is binlog sync's line per remote.
func (e *env) sayBinlogOffsite(rs []engine.BinlogOffsite) {
	for _, r := range rs {
		switch {
		case r.Error != "":
			e.say("WARNING: remote %s: the archive is not all off-site (%d files copied): %s; the next sync tries again", r.Remote, len(r.Pushed), r.Error)
		case len(r.Pushed) > 0:
			e.say("remote %s: %d finished files copied off-site and checked (%s)", r.Remote, len(r.Pushed), strings.Join(r.Pushed, ", "))
		default:
			e.say("remote %s: every finished file is off-site", r.Remote)
		}
	}
}

func windowOffsiteOf(o engine.WindowOffsite) *windowOffsiteJSON {
	if o.Files == 0 && len(o.Warnings()) == 0 {
		return nil
	}
	return &windowOffsiteJSON{Files: o.Files, Remotes: orEmpty(o.On), Warnings: orEmpty(o.Warnings())}
}

// printWindowOffsite is status's lines about the archive's remote copies.
func (e *env) printWindowOffsite(o engine.WindowOffsite) {
	if s := o.Summary(); s != "" {
		safef(e.stdout, "           %s\n", s)
	}
	for _, w := range o.Warnings() {
		safef(e.stdout, "           ✗ %s\n", w)
	}
}

// sayRemoteBinlogPrune is prune's line about a remote's archive copy.
func (e *env) sayRemoteBinlogPrune(r engine.RemotePrune, verb string) {
	if n := len(r.BinlogDeleted); n > 0 {
		e.say("remote %s: binary-log archive: %d files no backup kept there needs and older than binlog.keep_days %s (%s), %s first",
			r.Remote, n, verb, humanBytes(r.BinlogFreed), r.BinlogDeleted[0])
	}
}
