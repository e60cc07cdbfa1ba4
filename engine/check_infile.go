package engine

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// checkLocalInfile: WARNING when the server's local_infile is off (issue
// 18). Restores still work, but the loader can then send rows only as
// multi-row INSERTs, not as LOAD DATA LOCAL INFILE (engine/restore's
// loaddata.go); the INSERTs took up to about twice as long in
// TestLoadDataSpeedByShape. lifeboat never changes the setting itself.
// With it on, the OK summary says so. A server that does not answer is
// checkServer's problem, not this one's.
func checkLocalInfile(r *checkRun) []CheckProblem {
	on, err := r.e.localInfile(r.ctx)
	if err != nil {
		return nil
	}
	if on {
		r.ok = append(r.ok, "restores can use LOAD DATA (local_infile ON)")
		return nil
	}
	return []CheckProblem{{"local_infile", CheckWarning, fmt.Sprintf("server %s has local_infile OFF: restores load rows as INSERTs, up to about 2× slower than LOAD DATA; turn it on with SET GLOBAL local_infile=1 (and local_infile=1 under [mariadbd] or [mysqld] in the server's config to keep it)", r.e.ServerLabel())}}
}

// localInfile reads the server's global local_infile.
func (e *Engine) localInfile(ctx context.Context) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var v string
	if err := e.db.QueryRowContext(ctx, "SELECT @@GLOBAL.local_infile").Scan(&v); err != nil {
		return false, err
	}
	return v == "1" || strings.EqualFold(v, "ON"), nil
}

// okDetails is "; " and the passed checks' details when nothing is wrong
// (a summary with problems lists only them).
func okDetails(res CheckResult, ok []string) string {
	if len(res.Problems) > 0 || len(ok) == 0 {
		return ""
	}
	return "; " + strings.Join(ok, "; ")
}
