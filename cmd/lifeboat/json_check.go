package main

// checkReply is `check --json` (DESIGN.md): status OK|WARNING|CRITICAL|UNKNOWN,
// the one-line summary, and every problem with what to do.
type checkReply struct {
	Status   string         `json:"status"`
	Summary  string         `json:"summary"`
	Problems []checkProblem `json:"problems"`
}

type checkProblem struct {
	Check   string `json:"check"`  // backup_age, failed_action, disk_space, server, notify, remote, binlog, swap_copy, local_infile (engine/check.go)
	Status  string `json:"status"` // WARNING or CRITICAL
	Message string `json:"message"`
}
