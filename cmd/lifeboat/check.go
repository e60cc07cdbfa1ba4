package main

import (
	"context"
	"io"

	"github.com/lifeboat-dev/lifeboat/engine"
)

// Exit codes of `lifeboat check`: the monitoring-plugin convention.
const (
	checkExitOK       = 0
	checkExitWarning  = 1
	checkExitCritical = 2
	checkExitUnknown  = 3
)

// cmdCheck runs the checks and exits as Nagios/Icinga/Zabbix/Sensu
// expect. It opens the engine itself: a config error is UNKNOWN (3), not
// the usage code 2, which would read as CRITICAL.
func cmdCheck(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		return e.checkUnknown("check takes no arguments but --json and --config")
	}
	if err := e.openEngine(); err != nil {
		return e.checkUnknown("config: " + err.Error())
	}
	defer e.eng.Close()
	res, err := e.eng.Check(ctx, engine.CheckOptions{})
	if err != nil {
		return e.checkUnknown(err.Error())
	}
	e.printCheck(res.Status.String(), res.Summary, problemsOf(res))
	return int(res.Status)
}

func (e *env) checkUnknown(msg string) int {
	e.printCheck("UNKNOWN", msg, []checkProblem{})
	return checkExitUnknown
}

// printCheck writes the one line (stdout, as monitoring plugins do), or
// the JSON reply.
func (e *env) printCheck(status, summary string, problems []checkProblem) {
	if e.json {
		_ = e.printJSON(checkReply{Status: status, Summary: summary, Problems: problems})
		return
	}
	writeCheckLine(e.stdout, status, summary)
}

func writeCheckLine(w io.Writer, status, summary string) {
	safef(w, "LIFEBOAT %s - %s\n", status, summary)
}

func problemsOf(res engine.CheckResult) []checkProblem {
	out := []checkProblem{}
	for _, p := range res.Problems {
		out = append(out, checkProblem{Check: p.Check, Status: p.Status.String(), Message: p.Message})
	}
	return out
}
