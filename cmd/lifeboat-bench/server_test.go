package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// The whole-server row compares wall time per byte written: the whole
// file against the sum of the single-database backups of the same data.
func TestReportServerPerByte(t *testing.T) {
	const mib = 1 << 20
	s := func(wall time.Duration, size int64) sample { return sample{Wall: wall, Size: size, RSS: 50 * mib} }
	for _, c := range []struct {
		name   string
		rounds []serverRun
		want   []string
	}{
		{"faster", []serverRun{{whole: s(2*time.Second, 2*mib), single: []sample{s(time.Second, mib), s(2*time.Second, mib)}}},
			[]string{"| whole server, one file | 2s |", "| sum of single-database backups | 3s |", "1.000 s |", "1.500 s |", "| 0.67× | pass |"}},
		{"slower", []serverRun{{whole: s(4*time.Second, 2*mib), single: []sample{s(time.Second, mib), s(time.Second, mib)}}},
			[]string{"| 2.00× | FAIL |"}},
		{"a single backup failed", []serverRun{{whole: s(time.Second, mib), single: []sample{s(time.Second, mib), {Err: errors.New("boom")}}}},
			[]string{"| sum of single-database backups | n/a: boom |", "| n/a | n/a |"}},
	} {
		var out bytes.Buffer
		reportServer(&out, []string{"bench_a", "bench_b"}, c.rounds)
		for _, w := range c.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, w, out.String())
			}
		}
	}
}
