package project

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Drift compares a backup's tables with the live graph. notes explain
// harmless changes (a column added since takes its default); refusals are
// changes that would lose data or cannot be restored, and stop the restore
// before anything changes.
func Drift(meta Meta, g *Graph) (notes, refusals []string) {
	for _, t := range meta.TableOrder {
		bt := meta.Tables[t]
		cur := g.Schema.Tables[t]
		switch {
		case cur == nil:
			refusals = append(refusals, fmt.Sprintf("table %q is in the backup (%d rows) but no longer exists", t, bt.Rows))
			continue
		case !g.Has(t):
			refusals = append(refusals, fmt.Sprintf("table %q is in the backup (%d rows) but no longer links to %q", t, bt.Rows, g.Cfg.Table))
			continue
		}
		for _, c := range bt.Columns {
			cc := cur.Col(c.Name)
			switch {
			case cc == nil && bt.Rows > 0:
				refusals = append(refusals, fmt.Sprintf("column %s.%s (%s) was dropped since the backup: restoring would lose its values in %d rows; add it back first", t, c.Name, c.Type, bt.Rows))
			case cc == nil:
				notes = append(notes, fmt.Sprintf("column %s.%s was dropped since the backup (the backup has no rows there)", t, c.Name))
			case !strings.EqualFold(cc.Type, c.Type) && !Widens(c.Type, cc.Type):
				refusals = append(refusals, fmt.Sprintf("column %s.%s changed type from %s to %s since the backup: values may not fit; change it back first", t, c.Name, c.Type, cc.Type))
			case !strings.EqualFold(cc.Type, c.Type):
				notes = append(notes, fmt.Sprintf("column %s.%s widened from %s to %s since the backup: values fit", t, c.Name, c.Type, cc.Type))
			}
		}
		for _, cc := range cur.Columns {
			if hasCol(bt.Columns, cc.Name) {
				continue
			}
			if cc.Defaulted {
				notes = append(notes, fmt.Sprintf("column %s.%s (%s) was added since the backup: restored rows take its default", t, cc.Name, cc.Type))
			} else {
				refusals = append(refusals, fmt.Sprintf("column %s.%s (%s) was added since the backup as NOT NULL without a default: restored rows would have no value; give it a default first", t, cc.Name, cc.Type))
			}
		}
		if len(cur.PK) > 0 && strings.Join(cur.PK, ",") != strings.Join(bt.PrimaryKey, ",") {
			notes = append(notes, fmt.Sprintf("table %q: primary key changed from (%s) to (%s) since the backup", t, strings.Join(bt.PrimaryKey, ","), strings.Join(cur.PK, ",")))
		}
	}
	for _, t := range g.Order {
		if e := g.Table(t).Engine; !strings.EqualFold(e, "InnoDB") {
			refusals = append(refusals, fmt.Sprintf("table %q uses the %s engine, which has no transactions: a restore could not be undone there; convert it to InnoDB first", t, e))
		}
		if _, ok := meta.Tables[t]; !ok {
			notes = append(notes, fmt.Sprintf("table %q joined the project since the backup: the project's rows there will be deleted (the backup has none)", t))
		}
	}
	return notes, refusals
}

func hasCol(cols []Column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

var typeRe = regexp.MustCompile(`^([a-z]+)(?:\(([^)]*)\))?(.*)$`)

var intRank = map[string]int{"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 5}
var textRank = map[string]int{"char": 1, "varchar": 1, "tinytext": 2, "text": 3, "mediumtext": 4, "longtext": 5}
var binRank = map[string]int{"binary": 1, "varbinary": 1, "tinyblob": 2, "blob": 3, "mediumblob": 4, "longblob": 5}

// Widens reports whether every value of type from fits type to unchanged.
// Only well-known widenings are accepted; anything else is refused.
func Widens(from, to string) bool {
	f := typeRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(from)))
	t := typeRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(to)))
	if f == nil || t == nil {
		return false
	}
	fb, fa, fx := f[1], f[2], strings.TrimSpace(f[3])
	tb, ta, tx := t[1], t[2], strings.TrimSpace(t[3])
	switch {
	case intRank[fb] > 0 && intRank[tb] > 0:
		fu, tu := strings.Contains(fx, "unsigned"), strings.Contains(tx, "unsigned")
		if fu == tu {
			return intRank[tb] >= intRank[fb]
		}
		return fu && !tu && intRank[tb] > intRank[fb]
	case fb == "float" && tb == "double":
		return fx == tx
	case fb == "decimal" && tb == "decimal":
		fp, fs := precision(fa)
		tp, ts := precision(ta)
		return ts >= fs && tp-ts >= fp-fs && fx == tx
	case textRank[fb] > 0 && textRank[tb] > 0, binRank[fb] > 0 && binRank[tb] > 0:
		rank := textRank
		if binRank[fb] > 0 {
			rank = binRank
		}
		if rank[tb] > rank[fb] {
			return true
		}
		if rank[tb] == rank[fb] && rank[tb] == 1 {
			fl, _ := strconv.Atoi(fa)
			tl, _ := strconv.Atoi(ta)
			return tl >= fl && (fb == tb || tb == "varchar" || tb == "varbinary") && fx == tx
		}
		return fb == tb && fx == tx
	case (fb == "enum" || fb == "set") && tb == fb:
		return (ta == fa || strings.HasPrefix(ta, fa+",")) && fx == tx
	case (fb == "datetime" || fb == "timestamp" || fb == "time") && tb == fb:
		fl, _ := strconv.Atoi(fa)
		tl, _ := strconv.Atoi(ta)
		return tl >= fl && fx == tx
	}
	return false
}

func precision(a string) (p, s int) {
	ps, ss, _ := strings.Cut(a, ",")
	p, _ = strconv.Atoi(strings.TrimSpace(ps))
	s, _ = strconv.Atoi(strings.TrimSpace(ss))
	return p, s
}
