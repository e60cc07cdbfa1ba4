package restore

import "github.com/lifeboat-dev/lifeboat/engine/sqlsplit"

// enter starts the next selected database of a dump of several: what was
// loaded so far is committed and indexed, then the target, the source and
// the gate follow the new part, as if a restore of that database alone
// began here (with the same connections and session log).
func (x *executor) enter(source, target string) error {
	x.barrier()
	if err := x.flushIndexes(nil); err != nil {
		return err
	}
	x.opts.Database, x.opts.Final = target, x.opts.Finals[target]
	x.source, x.created = "", false
	x.gate = sqlsplit.NewGate(sqlsplit.GateOptions{Target: target, Others: x.opts.Others, Allowed: x.opts.Pick.Allowed})
	return nil
}
