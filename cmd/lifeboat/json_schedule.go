package main

import (
	"time"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// scheduleInstallReply is what `lifeboat schedule install --json` prints.
type scheduleInstallReply struct {
	Success bool     `json:"success"`
	Message string   `json:"message"`
	Written []string `json:"written"` // unit files written
	Enabled bool     `json:"enabled"` // systemctl enable --now ran
	User    string   `json:"user"`    // the jobs run as this user
}

// scheduleStatusReply is what `lifeboat schedule status --json` prints.
type scheduleStatusReply struct {
	Systemd bool        `json:"systemd"` // systemd runs here
	Timers  []timerJSON `json:"timers"`  // [] when none installed
}

// timerJSON is one scheduled job; times are RFC 3339, null when unknown.
type timerJSON struct {
	Timer   string     `json:"timer"`
	Service string     `json:"service"`
	Active  string     `json:"active"`
	NextRun *time.Time `json:"next_run"`
	LastRun *time.Time `json:"last_run"`
	Result  string     `json:"result"` // "" when it never ran
	Failed  bool       `json:"failed"`
}

func scheduleStatusOf(ts []engine.TimerState) scheduleStatusReply {
	out := scheduleStatusReply{Systemd: engine.SystemdRunning(), Timers: []timerJSON{}}
	opt := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	for _, t := range ts {
		out.Timers = append(out.Timers, timerJSON{Timer: t.Timer, Service: t.Service, Active: t.Active,
			NextRun: opt(t.Next), LastRun: opt(t.Last), Result: t.Result, Failed: t.Failed})
	}
	return out
}
