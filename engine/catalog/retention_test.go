package catalog

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// synthetic makes n backups of scope "app" spread over two years before
// end, some verified, with row counts that sometimes shrink, in random order.
func synthetic(r *rand.Rand, n int, end time.Time) []Entry {
	out := make([]Entry, 0, n)
	span := int64(730 * 24 * time.Hour)
	for i := 0; i < n; i++ {
		at := end.Add(-time.Duration(r.Int64N(span))).Truncate(time.Second)
		state := StateComplete
		if r.IntN(10) == 0 {
			state = StateVerified
		}
		rows := int64(1000 + r.IntN(100))
		if r.IntN(30) == 0 {
			rows = int64(r.IntN(400))
		}
		name := fmt.Sprintf("backup_%s_%03d.sql.gz", at.UTC().Format("2006-01-02_15-04-05"), i)
		out = append(out, Entry{Name: name, CreatedAt: at, State: state, Ours: true,
			Manifest: &Manifest{Databases: []string{"app"}, Rows: rows}})
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func randomPolicy(r *rand.Rand, loc *time.Location) PrunePolicy {
	p := PrunePolicy{Scope: "app", Keep: r.IntN(4), Daily: r.IntN(9), Weekly: r.IntN(6),
		Monthly: r.IntN(14), Yearly: r.IntN(3), Location: loc}
	return p
}

func names(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	slices.Sort(out)
	return out
}

func kept(vs []Verdict) []Entry {
	var out []Entry
	for _, v := range vs {
		if v.Kept() {
			out = append(out, v.Entry)
		}
	}
	return out
}

// TestGFSPropertiesOverTwoYears (issue 16): for many random sets of
// backups over two years and random policies (keep and calendar rules,
// buckets in Europe/Berlin), the decision does not depend on the order of
// the files, pruning the kept ones again removes nothing, something is
// always kept, the newest verified backup is always kept, and every kept
// backup names a rule.
func TestGFSPropertiesOverTwoYears(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 12, 2, 2, 0, 0, 0, loc)
	r := rand.New(rand.NewPCG(16, 2026))
	for round := 0; round < 300; round++ {
		es := synthetic(r, 1+r.IntN(400), end)
		p := randomPolicy(r, loc)
		first := PlanPrune(es, p)
		shuffled := slices.Clone(es)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if a, b := names(first), names(PlanPrune(shuffled, p)); !slices.Equal(a, b) {
			t.Fatalf("round %d %+v: the order of the files changed the result: %d vs %d dropped", round, p, len(a), len(b))
		}
		vs := Retention(es, p)
		keep := kept(vs)
		if len(keep) == 0 || len(keep)+len(first) != len(es) {
			t.Fatalf("round %d %+v: kept %d, dropped %d of %d", round, p, len(keep), len(first), len(es))
		}
		if again := PlanPrune(keep, p); len(again) != 0 {
			t.Fatalf("round %d %+v: pruning twice dropped %d more, e.g. %s", round, p, len(again), again[0].Name)
		}
		var newestVerified string
		for _, v := range vs { // newest first
			if v.Entry.State == StateVerified {
				newestVerified = v.Entry.Name
				break
			}
		}
		for _, d := range first {
			if d.Name == newestVerified {
				t.Fatalf("round %d: the newest verified backup %s was pruned", round, d.Name)
			}
		}
	}
}

// TestGFSNightlyTwoYears: nightly backups for two years with keep = 2,
// keep_daily = 7, keep_weekly = 4, keep_monthly = 12, keep_yearly = 2 keep
// the newest 7 nights, the Sundays of the 2 weeks before them, the last
// night of the 10 months before, and of last year: 20 files.
func TestGFSNightlyTwoYears(t *testing.T) {
	loc := time.UTC
	end := time.Date(2026, 12, 2, 2, 0, 0, 0, loc) // a Wednesday
	var es []Entry
	for d := 0; d < 730; d++ {
		at := end.AddDate(0, 0, -d)
		es = append(es, Entry{Name: "backup_" + at.Format("2006-01-02_15-04-05") + ".sql.gz", CreatedAt: at,
			State: StateComplete, Ours: true, Manifest: &Manifest{Databases: []string{"app"}, Rows: 10}})
	}
	p := PrunePolicy{Scope: "app", Keep: 2, Daily: 7, Weekly: 4, Monthly: 12, Yearly: 2, Location: loc}
	got := map[string][]string{}
	for _, v := range Retention(es, p) {
		for _, r := range v.Reasons {
			got[r.Rule] = append(got[r.Rule], v.Entry.CreatedAt.Format("2006-01-02"))
		}
	}
	want := map[string][]string{
		RuleKeep:    {"2026-12-02", "2026-12-01"},
		RuleDaily:   {"2026-12-02", "2026-12-01", "2026-11-30", "2026-11-29", "2026-11-28", "2026-11-27", "2026-11-26"},
		RuleWeekly:  {"2026-12-02", "2026-11-29", "2026-11-22", "2026-11-15"}, // ISO weeks end on Sunday
		RuleMonthly: {"2026-12-02", "2026-11-30", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31"},
		RuleYearly:  {"2026-12-02", "2025-12-31"},
	}
	for rule, w := range want {
		if fmt.Sprint(got[rule]) != fmt.Sprint(w) {
			t.Errorf("%s keeps %v, want %v", rule, got[rule], w)
		}
	}
	if n := len(kept(Retention(es, p))); n != 7+2+10+1 {
		t.Errorf("kept %d backups, want 20", n)
	}
}

// TestGFSBucketsInTimezone: a backup at 23:30 UTC is the next day in
// Europe/Berlin, so keep_daily = 2 keeps a different pair there.
func TestGFSBucketsInTimezone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name string, at time.Time) Entry {
		return Entry{Name: name, CreatedAt: at, State: StateComplete, Ours: true, Manifest: &Manifest{Databases: []string{"app"}, Rows: 1}}
	}
	es := []Entry{
		mk("a", time.Date(2026, 11, 23, 22, 30, 0, 0, time.UTC)),
		mk("b", time.Date(2026, 11, 23, 23, 30, 0, 0, time.UTC)),
		mk("c", time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)),
	}
	for _, c := range []struct {
		loc  *time.Location
		drop string
	}{{berlin, "[c]"}, {time.UTC, "[a]"}} {
		p := PrunePolicy{Scope: "app", Keep: 1, Daily: 2, Location: c.loc}
		if got := fmt.Sprint(names(PlanPrune(es, p))); got != c.drop {
			t.Errorf("in %s prune drops %s, want %s", c.loc, got, c.drop)
		}
	}
}

// TestGFSNoRuleStillKeepsOne: a policy built in code with every count 0
// keeps the newest backup rather than nothing.
func TestGFSNoRuleStillKeepsOne(t *testing.T) {
	es := synthetic(rand.New(rand.NewPCG(1, 2)), 20, time.Now())
	if n := len(kept(Retention(es, PrunePolicy{Scope: "app"}))); n < 1 {
		t.Fatalf("kept %d", n)
	}
}
