package restore

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestTableLoadedTold: OnTableLoaded is told each table once, after all
// of its rows are committed (another connection counts them all), a table
// with a deferred index as its build starts; a table the file writes to
// again after it was told is in Result.Revisited, and no other.
func TestTableLoadedTold(t *testing.T) {
	d := testdb.New(t)
	var b strings.Builder
	for _, tb := range []string{"a", "b", "c"} {
		fmt.Fprintf(&b, "DROP TABLE IF EXISTS `%s`;\nCREATE TABLE `%s` (\n  `id` int NOT NULL,\n  `v` varchar(20) NOT NULL,\n  PRIMARY KEY (`id`),\n  KEY `%s_v` (`v`)\n) ENGINE=InnoDB;\n", tb, tb, tb)
		if tb == "b" { // no secondary key: told at the next table
			s := strings.Replace(b.String(), ",\n  KEY `b_v` (`v`)", "", 1)
			b.Reset()
			b.WriteString(s)
		}
		b.WriteString("/*!40000 ALTER TABLE `" + tb + "` DISABLE KEYS */;\n")
		for chunk := 0; chunk < 3; chunk++ {
			fmt.Fprintf(&b, "INSERT INTO `%s` VALUES ", tb)
			for i := 0; i < 500; i++ {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "(%d,'%s-%d')", chunk*500+i, tb, i)
			}
			b.WriteString(";\n")
		}
		b.WriteString("/*!40000 ALTER TABLE `" + tb + "` ENABLE KEYS */;\n")
	}
	b.WriteString("INSERT INTO `a` VALUES (5000,'late');\n") // a, again
	b.WriteString("CREATE VIEW `vc` AS SELECT id FROM `c`;\n")

	var mu sync.Mutex
	counts := map[string][]int{}
	opts := Options{OnTableLoaded: func(table string) {
		var n int
		if err := d.DB.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM `%s`.`%s`", d.Name, table)).Scan(&n); err != nil {
			t.Errorf("count %s: %v", table, err)
		}
		mu.Lock()
		counts[table] = append(counts[table], n)
		mu.Unlock()
	}}
	res, err := run(t, d.Server, d.Name, []byte(b.String()), opts)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{"a": {1500}, "b": {1500}, "c": {1500}}
	for tb, w := range want {
		if !slices.Equal(counts[tb], w) {
			t.Errorf("table %s: told with counts %v, want %v (all of it, once)", tb, counts[tb], w)
		}
	}
	if len(counts) != len(want) {
		t.Errorf("told %v, want only the tables a, b, c", counts)
	}
	if !slices.Equal(res.Revisited, []string{"a"}) {
		t.Errorf("revisited %v, want [a]", res.Revisited)
	}
	var n int
	if err := d.DB.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM `%s`.`a`", d.Name)).Scan(&n); err != nil || n != 1501 {
		t.Errorf("a holds %d rows (%v), want 1501", n, err)
	}
}
