package main

import (
	"context"

	"github.com/lifeboat-dev/lifeboat/config"
	"github.com/lifeboat-dev/lifeboat/engine"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
)

// cmdDemo starts a throwaway MariaDB, seeds the demo schema, writes a
// config for it, takes a first backup, runs a scripted incident (a bad
// DELETE among ordinary writes, archived by binlog sync) and opens the
// screen. Quitting,
// Ctrl-C or a lost session stop the server and remove every file.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageErr("demo takes no arguments")
	}
	if !e.interactive {
		return usageErr("lifeboat demo opens the screen and needs a terminal")
	}
	d, err := engine.StartDemoWith(ctx, engine.DemoOptions{Offsite: true}, func(s string) { e.say("%s", s) })
	if err != nil {
		return err
	}
	defer d.Stop()
	cfg, err := config.LoadWith(d.Config, config.LoadOptions{NoOptionFiles: true})
	if err != nil {
		return err
	}
	eng, err := engine.Open(cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	e.eng = eng
	e.say("taking a first backup …")
	if _, err := eng.Backup(ctx, engine.BackupOptions{Reason: "demo"}, progress.Nop); err != nil {
		e.say("first backup failed: %v", err)
	} else if _, err := d.RunIncident(ctx, eng, func(s string) { e.say("%s", s) }); err != nil {
		e.say("the scripted incident failed (the Timeline has less to show): %v", err)
	}
	return runTUI(ctx, e)
}
