package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// undoReply is what `lifeboat restore --undo --json` prints.
type undoReply struct {
	Success bool     `json:"success"`
	Message string   `json:"message"`
	Undo    undoJSON `json:"undo"`
}

// undoJSON is what the undo did: From's tables are live again; the ones
// they replaced are kept in Previous (a second --undo swaps them back).
type undoJSON struct {
	Database     string `json:"database"`
	From         string `json:"from"`
	Previous     string `json:"previous"`
	SwapWindowMS int64  `json:"swap_window_ms"`
	DurationMS   int64  `json:"duration_ms"`
	Note         string `json:"note"`
}

// restoreUndo is `lifeboat restore --undo [--into DB]`: the newest tables
// a swap restore kept are swapped back in, after a typed confirmation.
func restoreUndo(ctx context.Context, e *env, yes bool, into string) error {
	plan, err := e.eng.PlanUndo(ctx, into)
	if err != nil {
		return err
	}
	if !yes {
		if e.interactive {
			e.say("Undo the last swap restore of database %q: its %d table(s) kept in %s become live again;", plan.Database, len(plan.Tables), plan.From)
			e.say("the tables live now are kept in a new %s<time> schema (a second --undo swaps them back).", "__lifeboat_prev_")
		}
		if err := e.confirm(false, "restore --undo of "+plan.Database, plan.Database); err != nil {
			return err
		}
	}
	signal.Ignore(syscall.SIGHUP)
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	res, err := e.eng.Undo(ctx, plan.Database)
	if err != nil {
		return err
	}
	if e.json {
		return e.printJSON(undoReply{Success: true, Message: "The previous tables are live again",
			Undo: undoJSON{Database: res.Database, From: res.From, Previous: res.Previous,
				SwapWindowMS: res.SwapWindow.Milliseconds(), DurationMS: res.Duration.Milliseconds(), Note: res.Note}})
	}
	e.say("undone: %s holds the tables kept in %s again (swapped in %d ms); the replaced ones are kept in %s", res.Database, res.From, res.SwapWindow.Milliseconds(), res.Previous)
	if res.Note != "" {
		e.say("warning: %s", res.Note)
	}
	return nil
}
