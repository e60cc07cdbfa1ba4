package dump

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
	"github.com/lifeboat-dev/lifeboat/engine/progress"
	"golang.org/x/sync/semaphore"
)

// part is one piece of the output, in order: fixed text or a data chunk.
type part struct {
	text  string
	chunk *chunk
}

// plan reads every definition inside the snapshot and lays out the stream:
// header, database, sequences, tables with their data, routines, views,
// triggers, events, footer.
// db is the database planned; prefix ("" for one database, "db." for
// several) starts its names in Result.Tables and Result.Objects.
func plan(ctx context.Context, s *session, opts Options, db, prefix string, res *Result, tr *progress.Tracker) ([]part, error) {
	c := s.conns[0]
	tables, views, err := listTables(ctx, c, db)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		t.resKey = prefix + t.name
	}
	cols, err := loadColumns(ctx, c, db, tables)
	if err != nil {
		return nil, err
	}
	if err := loadKeys(ctx, c, db, tables); err != nil {
		return nil, err
	}
	lim := newLimits(res.MaxAllowedPacket, opts.MaxStatement)
	dbm, err := showCreate(ctx, c, "SHOW CREATE DATABASE "+qi(db))
	if err != nil {
		return nil, fmt.Errorf("read database definition: %w", err)
	}
	parts := []part{{text: databaseSection(db, dbm["Create Database"])}}
	var rowsEst int64
	for _, t := range tables { // sequences first: table defaults may call NEXTVAL
		if t.sequence {
			if err := tableDDL(ctx, c, t); err != nil {
				return nil, err
			}
			parts = append(parts, part{text: t.create})
			res.Tables[t.resKey] = 0
			res.Objects["sequence"] = append(res.Objects["sequence"], t.resKey)
		}
	}
	for _, t := range bySize(tables) {
		if t.sequence {
			continue
		}
		if err := tableDDL(ctx, c, t); err != nil {
			return nil, err
		}
		if !transactional(t.engine) {
			res.NonTransactional = append(res.NonTransactional, t.resKey)
		}
		rowsEst += t.rowsEst
		parts = append(parts, part{text: t.create})
		chunks, err := split(ctx, c, t, opts, len(s.conns))
		if err != nil {
			return nil, err
		}
		for _, ch := range chunks {
			ch.lim = lim
			parts = append(parts, part{chunk: ch})
		}
	}
	res.TableCount += len(tables)
	tr.SetTablesTotal(int64(res.TableCount))
	tr.SetRowsTotal(rowsEst)
	for _, v := range views {
		res.Objects["view"] = append(res.Objects["view"], prefix+v)
	}
	add := func(kind, name string) { res.Objects[kind] = append(res.Objects[kind], prefix+name) }
	for _, f := range []func() (string, error){
		func() (string, error) { return routinesDDL(ctx, c, db, add) },
		func() (string, error) {
			if !opts.several() {
				return viewsDDL(ctx, c, views, cols)
			}
			pre, post, err := viewParts(ctx, c, views, cols)
			if pre != "" {
				use := "\nUSE " + qi(db) + ";\n"
				res.viewsPre += use + pre
				res.viewsPost += use + post
			}
			return "", err
		},
		func() (string, error) { return triggersDDL(ctx, c, db, add) },
		func() (string, error) { return eventsDDL(ctx, c, db, add) },
	} {
		txt, err := f()
		if err != nil {
			return nil, err
		}
		parts = append(parts, part{text: txt})
	}
	return parts, nil
}

func transactional(engine string) bool {
	switch strings.ToLower(engine) {
	case "innodb", "xtradb", "rocksdb", "tokudb", "":
		return true
	}
	return false
}

// chunkBytes is the data size above which a table is read in ranges even
// when it has few rows (BLOBs).
const chunkBytes = 32 << 20

// split cuts a big table with a single integer primary key into key ranges
// that several connections read at once; other tables are one chunk.
func split(ctx context.Context, c *sql.Conn, t *table, opts Options, conns int) ([]*chunk, error) {
	one := []*chunk{newChunk(t, "", true, true)}
	n := max(t.rowsEst/opts.ChunkRows, t.bytesEst/chunkBytes)
	if conns < 2 || t.intPK == "" || n < 2 {
		return one, nil
	}
	var lo, hi sql.NullString
	pk := qi(t.intPK)
	if err := c.QueryRowContext(ctx, "SELECT MIN("+pk+"), MAX("+pk+") FROM "+qi(t.name)).Scan(&lo, &hi); err != nil {
		return nil, tableErr(t.name, "read key range", err)
	}
	a, err1 := strconv.ParseFloat(lo.String, 64)
	b, err2 := strconv.ParseFloat(hi.String, 64)
	if !lo.Valid || err1 != nil || err2 != nil || b <= a {
		return one, nil
	}
	n = min(n, 64)
	step := (b - a) / float64(n)
	var bounds []string
	for i := int64(1); i < n; i++ {
		v := strconv.FormatFloat(a+step*float64(i), 'f', 0, 64)
		if len(bounds) == 0 || bounds[len(bounds)-1] != v {
			bounds = append(bounds, v)
		}
	}
	chunks := make([]*chunk, 0, len(bounds)+1)
	for i := 0; i <= len(bounds); i++ {
		var w string
		switch {
		case i == 0:
			w = " WHERE " + pk + " < " + bounds[0]
		case i == len(bounds):
			w = " WHERE " + pk + " >= " + bounds[i-1]
		default:
			w = " WHERE " + pk + " >= " + bounds[i-1] + " AND " + pk + " < " + bounds[i]
		}
		chunks = append(chunks, newChunk(t, w, i == 0, i == len(bounds)))
	}
	return chunks, nil
}

func newChunk(t *table, where string, first, last bool) *chunk {
	return &chunk{t: t, where: where, first: first, last: last, out: make(chan *[]byte, 64),
		ahead: semaphore.NewWeighted(aheadBytes), done: make(chan error, 1)}
}

// header is the stream's first lines and session settings, once per file.
func header(opts Options, res *Result) string {
	var b strings.Builder
	now := time.Now().UTC().Format(time.RFC3339)
	what := "database " + commentName(res.Databases[0])
	if opts.several() {
		quoted := make([]string, len(res.Databases))
		for i, db := range res.Databases {
			quoted[i] = commentName(db)
		}
		what = "databases " + strings.Join(quoted, ", ")
	}
	b.WriteString(catalog.HeaderPrefix + " " + opts.ToolVersion + " · server " + res.ServerVersion +
		" · " + what + " · " + now + " · " + res.Consistency + "\n")
	if res.Binlog != nil {
		b.WriteString("-- binlog " + res.Binlog.File + ":" + strconv.FormatUint(res.Binlog.Position, 10))
		if res.Binlog.GTID != "" {
			b.WriteString(" gtid " + res.Binlog.GTID)
		}
		b.WriteString("\n")
	}
	b.WriteString(`
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;
`)
	return b.String()
}

// databaseSection starts one database's part of the stream, as
// mariadb-dump --databases does: a restore follows the USE lines.
func databaseSection(db, createDB string) string {
	createDB = strings.Replace(createDB, "CREATE DATABASE ", "CREATE DATABASE /*!32312 IF NOT EXISTS*/ ", 1)
	return "\n--\n-- Current Database: " + commentName(db) + "\n--\n\n" + createDB + ";\n\nUSE " + qi(db) + ";\n"
}

func footer(opts Options) string {
	return `
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

` + catalog.CompletionPrefix + " on " + time.Now().UTC().Format("2006-01-02 15:04:05") + " by lifeboat " + opts.ToolVersion + "\n"
}

// bySize orders tables largest first (by the server's row estimate; ties by
// name). A restore builds a table's secondary indexes after its data, on
// one server thread, while it loads the next tables: with the largest
// table first, its long index build overlaps with loading the rest instead
// of running alone at the end (measured on the bench dataset: the 1M-row
// table's index build took 1.8 s with a core idle).
func bySize(tables []*table) []*table {
	out := append([]*table(nil), tables...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].rowsEst > out[j].rowsEst })
	return out
}
