package binlog

import (
	"fmt"
	"strings"
	"time"
)

// Gap is a stretch of time the archive cannot replay.
type Gap struct {
	From, To time.Time
	Files    []string // the missing or damaged files
	Reason   string
}

// Chain is the archive's files from a start file on, checked for gaps.
type Chain struct {
	Files []File // in log order, from the start file on
	Gaps  []Gap
	End   time.Time // the last event the archive holds (the open file's mtime)
}

// Check walks the archive from the file named start (the whole archive
// when empty): a missing number, a damaged file or an unfinished one that
// is not the last is a gap. With hash the sha256 of each file is checked.
func Check(files []File, start string, hash bool) Chain {
	var c Chain
	for _, f := range files {
		if start == "" || Number(f.Name) >= Number(start) {
			c.Files = append(c.Files, f)
		}
	}
	if start != "" && (len(c.Files) == 0 || c.Files[0].Name != start) {
		g := Gap{Files: []string{start}, Reason: start + " is not in the archive"}
		if len(c.Files) > 0 {
			g.To = c.Files[0].start()
		}
		c.Gaps = append(c.Gaps, g)
	}
	for i, f := range c.Files {
		if i > 0 {
			prev := c.Files[i-1]
			if missing := between(prev.Name, f.Name); len(missing) > 0 {
				c.Gaps = append(c.Gaps, Gap{From: prev.end(), To: f.start(), Files: missing,
					Reason: strings.Join(missing, ", ") + " missing from the archive (purged on the server before it was archived?)"})
			}
		}
		last := i == len(c.Files)-1
		switch {
		case f.Index == nil && !last:
			c.Gaps = append(c.Gaps, Gap{From: f.MTime, To: c.Files[i+1].start(), Files: []string{f.Name},
				Reason: f.Name + " was never finished in the archive (a sync stopped in it and the server purged it)"})
		case f.Damaged(hash) != "":
			g := Gap{From: f.start(), Files: []string{f.Name}, Reason: "damaged: " + f.Damaged(hash)}
			if !last {
				g.To = c.Files[i+1].start()
			}
			c.Gaps = append(c.Gaps, g)
		}
	}
	if n := len(c.Files); n > 0 {
		c.End = c.Files[n-1].end()
	}
	return c
}

func (f File) start() time.Time {
	if f.Index != nil {
		return f.Index.FirstEvent
	}
	return f.MTime
}

func (f File) end() time.Time {
	if f.Index != nil {
		return f.Index.LastEvent
	}
	return f.MTime // the open file is written as events arrive
}

// between lists the file names strictly between a and b.
func between(a, b string) []string {
	na, nb := Number(a), Number(b)
	dot := strings.LastIndexByte(b, '.')
	var out []string
	for n := na + 1; n < nb && len(out) < 1000; n++ {
		out = append(out, fmt.Sprintf("%s.%0*d", b[:dot], len(b)-dot-1, n))
	}
	return out
}
