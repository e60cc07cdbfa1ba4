package engine

import (
	"fmt"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// PruneVerdict is what retention decided for one backup of this config:
// kept, with each rule that keeps it, or deleted (Why empty).
type PruneVerdict struct {
	Name  string
	Kept  bool
	Rules []string // keep, keep_daily, ..., newest_verified, pinned, shrink
	Why   []string // the same in words: "keep_daily: newest of 2026-11-23"
}

// retentionPolicy is backup.keep (or keep when > 0) and the calendar
// rules of [backup], buckets in backup.timezone.
func (e *Engine) retentionPolicy(keep int) catalog.PrunePolicy {
	r := e.Cfg.Backup.Retention
	return catalog.PrunePolicy{Scope: e.scope(), Keep: keep,
		Daily: r.KeepDaily, Weekly: r.KeepWeekly, Monthly: r.KeepMonthly, Yearly: r.KeepYearly,
		Location: e.Loc, Pinned: e.pinnedByJournals()}
}

// verdicts turns the catalog's decisions into the facade's, newest first.
func verdicts(vs []catalog.Verdict, p catalog.PrunePolicy) []PruneVerdict {
	out := make([]PruneVerdict, 0, len(vs))
	for _, v := range vs {
		pv := PruneVerdict{Name: v.Entry.Name, Kept: v.Kept()}
		for _, r := range v.Reasons {
			pv.Rules = append(pv.Rules, r.Rule)
			pv.Why = append(pv.Why, r.Text(p))
		}
		out = append(out, pv)
	}
	return out
}

// calendarText names the calendar rules that are on, for the screen.
func calendarText(p catalog.PrunePolicy) string {
	var parts []string
	for _, r := range []struct {
		key string
		n   int
	}{{"keep_daily", p.Daily}, {"keep_weekly", p.Weekly}, {"keep_monthly", p.Monthly}, {"keep_yearly", p.Yearly}} {
		if r.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", r.key, r.n))
		}
	}
	return strings.Join(parts, ", ")
}
