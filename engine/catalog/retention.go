package catalog

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Rules a backup can be kept by. They are stable words: prune --json
// reports them, and Reason.Text says them in English.
const (
	RuleKeep           = "keep"            // among the newest Keep
	RuleDaily          = "keep_daily"      // newest of one of the last keep_daily days with a backup
	RuleWeekly         = "keep_weekly"     // ... of one of the last keep_weekly ISO weeks
	RuleMonthly        = "keep_monthly"    // ... of one of the last keep_monthly months
	RuleYearly         = "keep_yearly"     // ... of one of the last keep_yearly years
	RuleNewestVerified = "newest_verified" // the newest verified backup is never pruned
	RulePinned         = "pinned"          // named by a restore journal
	RuleShrink         = "shrink"          // either side of a backup that holds < half the rows
)

// Reason is one rule that keeps a backup, with the bucket it won
// ("2026-11-23", "2026-W47") for the calendar rules.
type Reason struct {
	Rule   string `json:"rule"`
	Bucket string `json:"bucket,omitempty"`
}

// Text says the reason in a few words, for prune's output and the screen.
func (r Reason) Text(p PrunePolicy) string {
	switch r.Rule {
	case RuleKeep:
		return fmt.Sprintf("keep: one of the newest %d", p.keep())
	case RuleDaily, RuleWeekly, RuleMonthly, RuleYearly:
		return fmt.Sprintf("%s: newest of %s", r.Rule, r.Bucket)
	case RuleNewestVerified:
		return "the newest verified backup"
	case RulePinned:
		return "named by an interrupted restore"
	case RuleShrink:
		return "beside a backup where the database shrank"
	}
	return r.Rule
}

// Verdict is what retention decided for one backup: kept when it has any
// reason, pruned when it has none.
type Verdict struct {
	Entry   Entry
	Reasons []Reason
}

// Kept reports whether any rule keeps the backup.
func (v Verdict) Kept() bool { return len(v.Reasons) > 0 }

// calendar is one calendar rule: how many buckets, and the bucket of a time.
type calendar struct {
	rule   string
	n      int
	bucket func(time.Time) string
}

func (p PrunePolicy) calendars() []calendar {
	return []calendar{
		{RuleDaily, p.Daily, func(t time.Time) string { return t.Format("2006-01-02") }},
		{RuleWeekly, p.Weekly, func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%04d-W%02d", y, w) }},
		{RuleMonthly, p.Monthly, func(t time.Time) string { return t.Format("2006-01") }},
		{RuleYearly, p.Yearly, func(t time.Time) string { return t.Format("2006") }},
	}
}

// keep is the newest-N count. A policy with no calendar rule keeps at
// least one backup, so no policy ever keeps nothing.
func (p PrunePolicy) keep() int {
	if p.Keep < 1 && p.Daily < 1 && p.Weekly < 1 && p.Monthly < 1 && p.Yearly < 1 {
		return 1
	}
	return max(p.Keep, 0)
}

// Retention judges every prunable backup of the policy's scope, newest
// first. It is a pure function of the set of entries: their order does
// not matter, and judging the kept ones again keeps them all. Ordinary and
// safety backups are judged apart, each by the whole policy.
func Retention(entries []Entry, p PrunePolicy) []Verdict {
	var mine []Entry
	for _, e := range entries {
		if Prunable(e) && e.Scope() == p.Scope {
			mine = append(mine, e)
		}
	}
	slices.SortFunc(mine, newestFirst)
	var out []Verdict
	for _, safety := range []bool{false, true} {
		out = append(out, judge(kindOf(mine, safety), p)...)
	}
	slices.SortStableFunc(out, func(a, b Verdict) int { return newestFirst(a.Entry, b.Entry) })
	return out
}

// newestFirst orders by creation time, then by name, so that equal times
// still give one order whatever order the files were listed in.
func newestFirst(a, b Entry) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.Name, a.Name)
}

// judge applies the policy to one kind of backup, sorted newest first.
func judge(kind []Entry, p PrunePolicy) []Verdict {
	loc := p.Location
	if loc == nil {
		loc = time.Local
	}
	vs := make([]Verdict, len(kind))
	add := func(i int, r Reason) { vs[i].Reasons = append(vs[i].Reasons, r) }
	verified := false
	for i, e := range kind {
		vs[i].Entry = e
		if i < p.keep() {
			add(i, Reason{Rule: RuleKeep})
		}
		if e.State == StateVerified && !verified {
			verified = true
			add(i, Reason{Rule: RuleNewestVerified})
		}
		if p.Pinned[e.Name] {
			add(i, Reason{Rule: RulePinned})
		}
		// Both sides of a shrink stay: the good copy before it, and the
		// first small one, so that pruning again finds the same pair.
		if (i > 0 && Shrank(kind[i-1], e)) || (i+1 < len(kind) && Shrank(e, kind[i+1])) {
			add(i, Reason{Rule: RuleShrink})
		}
	}
	for _, c := range p.calendars() {
		seen := map[string]bool{}
		for i, e := range kind {
			if len(seen) >= c.n {
				break
			}
			b := c.bucket(e.CreatedAt.In(loc))
			if !seen[b] {
				seen[b] = true
				add(i, Reason{Rule: c.rule, Bucket: b})
			}
		}
	}
	return vs
}
