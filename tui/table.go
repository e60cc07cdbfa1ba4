package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/lifeboat-dev/lifeboat/engine"
)

// column is one table column. Columns with a lower drop value go first
// when the window is too narrow; 0 never drops.
type column struct {
	title string
	width int // minimum; grows to fit the widest cell
	right bool
	drop  int
	// shrink lets the column narrow, down to width, with its cells cut
	// with "…", once no column is left to drop.
	shrink bool
}

// listTable renders rows with a ▸ cursor, scrolling to keep it in view.
type listTable struct {
	cols   []column
	rows   [][]string
	cursor int
	offset int
}

// setRows shows rows; each cell is data and goes through engine.Printable
// (cells are never styled: styles apply to whole lines).
func (t *listTable) setRows(rows [][]string) {
	for _, r := range rows {
		for i, c := range r {
			r[i] = engine.Printable(c)
		}
	}
	t.rows = rows
	t.cursor = clampInt(t.cursor, 0, max(0, len(rows)-1))
}

func (t *listTable) move(n int) { t.cursor = clampInt(t.cursor+n, 0, max(0, len(t.rows)-1)) }

// layout picks the columns that fit width and each one's width.
func (t *listTable) layout(width int) (keep []int, widths []int, gap int) {
	widths = make([]int, len(t.cols))
	for i, c := range t.cols {
		widths[i] = max(c.width, lipgloss.Width(c.title))
		for _, r := range t.rows {
			widths[i] = max(widths[i], lipgloss.Width(r[i]))
		}
	}
	for i := range t.cols {
		keep = append(keep, i)
	}
	for {
		for _, gap = range []int{2, 1} {
			total := 2 // the cursor column
			for _, i := range keep {
				total += widths[i] + gap
			}
			if total-gap <= width {
				return keep, widths, gap
			}
		}
		drop := -1
		for n, i := range keep {
			if d := t.cols[i].drop; d > 0 && (drop < 0 || d < t.cols[keep[drop]].drop) {
				drop = n
			}
		}
		if drop < 0 {
			return keep, t.shrink(keep, widths, width), 1
		}
		keep = append(keep[:drop], keep[drop+1:]...)
	}
}

// shrink narrows the shrinkable columns, right to left, so the kept ones fit width with
// a gap of 1, as far as their minimum widths allow.
func (t *listTable) shrink(keep, widths []int, width int) []int {
	total := 2 - 1
	for _, i := range keep {
		total += widths[i] + 1
	}
	for n := len(keep) - 1; n >= 0; n-- { // the rightmost gives way first
		i := keep[n]
		c := t.cols[i]
		if over := total - width; over > 0 && c.shrink {
			cut := min(over, max(0, widths[i]-max(c.width, lipgloss.Width(c.title))))
			widths[i] -= cut
			total -= cut
		}
	}
	return widths
}

// view renders the header and up to height-1 rows.
func (t *listTable) view(st Styles, width, height int) string {
	keep, widths, gap := t.layout(width)
	line := func(cells []string) string {
		var b strings.Builder
		for n, i := range keep {
			if n > 0 {
				b.WriteString(strings.Repeat(" ", gap))
			}
			cell := cells[i]
			if lipgloss.Width(cell) > widths[i] {
				cell = ansi.Truncate(cell, widths[i], "…")
			}
			b.WriteString(pad(cell, widths[i], t.cols[i].right))
		}
		return b.String()
	}
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
	}
	out := []string{"  " + st.ColHeader.Render(strings.TrimRight(line(titles), " "))}
	rowsRoom := max(1, height-1)
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+rowsRoom {
		t.offset = t.cursor - rowsRoom + 1
	}
	for r := t.offset; r < len(t.rows) && r < t.offset+rowsRoom; r++ {
		text := strings.TrimRight(line(t.rows[r]), " ")
		if r == t.cursor {
			out = append(out, " ▸"+st.Selected.Render(text))
		} else {
			out = append(out, "  "+text)
		}
	}
	return strings.Join(out, "\n")
}

func pad(s string, w int, right bool) string {
	n := w - lipgloss.Width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }
