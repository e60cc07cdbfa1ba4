package dump

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// valueKind says how a column's text-protocol bytes become an SQL literal.
type valueKind uint8

const (
	kindString valueKind = iota // quoted and escaped, maybe with an introducer
	kindNumber                  // written as is: integers, DECIMAL, DOUBLE
	kindBinary                  // _binary'...' escaped
	kindHex                     // 0x...: BIT and spatial values
)

type column struct {
	name       string
	expr       string // what SELECT reads (FLOAT goes through DOUBLE)
	kind       valueKind
	introducer string // "_latin1" for text not in utf8mb4
	charset    string // CHARACTER_SET_NAME: where a long value may be cut (packet.go)
	onUpdate   bool   // ON UPDATE CURRENT_TIMESTAMP: kept as is by the UPDATEs of packet.go
}

// table is one base table or sequence of the dumped database.
type table struct {
	name     string
	resKey   string // name in Result.Tables: "db.name" in a dump of several databases
	sequence bool
	engine   string
	rowsEst  int64
	bytesEst int64 // DATA_LENGTH: big BLOB tables get chunked by size too
	cols     []column
	intPK    string // single integer primary key column, for chunking
	create   string
	key      []int // cols of the primary key, else a NOT NULL unique key (loadKeys); nil: none
	hasCheck bool  // CHECK constraints (JSON columns too): off while a value is written in pieces
}

// view is one view, with the column names its placeholder needs.
type view struct {
	name   string
	cols   []string
	create string
	client string
	coll   string
}

func classify(dataType, colType, charset string) (valueKind, string) {
	switch dataType {
	case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "double", "year":
		return kindNumber, ""
	case "float":
		return kindNumber, "" // read as CAST(... AS DOUBLE), see columnExpr
	case "bit", "geometry", "point", "linestring", "polygon", "multipoint",
		"multilinestring", "multipolygon", "geometrycollection":
		return kindHex, ""
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return kindBinary, ""
	}
	switch charset {
	case "", "utf8mb4", "utf8mb3", "utf8", "ascii":
		return kindString, ""
	case "binary":
		return kindBinary, ""
	}
	return kindString, "_" + charset
}

// listTables reads base tables and sequences with their row estimates.
func listTables(ctx context.Context, c *sql.Conn, db string) ([]*table, []string, error) {
	rows, err := c.QueryContext(ctx, `SELECT TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE,''), IFNULL(TABLE_ROWS,0), IFNULL(DATA_LENGTH,0)
		FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`, db)
	if err != nil {
		return nil, nil, fmt.Errorf("list tables of %s: %w", qi(db), err)
	}
	defer rows.Close()
	var tables []*table
	var views []string
	for rows.Next() {
		var name, typ, engine string
		var est, size int64
		if err := rows.Scan(&name, &typ, &engine, &est, &size); err != nil {
			return nil, nil, err
		}
		switch typ {
		case "VIEW":
			views = append(views, name)
		case "SEQUENCE":
			tables = append(tables, &table{name: name, sequence: true, engine: engine})
		case "BASE TABLE", "SYSTEM VERSIONED":
			tables = append(tables, &table{name: name, engine: engine, rowsEst: est, bytesEst: size})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("list tables of %s: %w", qi(db), err)
	}
	return tables, views, nil
}

// loadColumns fills each table's dumped columns (generated ones left out,
// invisible ones kept) and finds single-column integer primary keys.
func loadColumns(ctx context.Context, c *sql.Conn, db string, tables []*table) (map[string][]string, error) {
	byName := map[string]*table{}
	for _, t := range tables {
		byName[t.name] = t
	}
	rows, err := c.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,
		IFNULL(CHARACTER_SET_NAME,''), EXTRA, COLUMN_KEY
		FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`, db)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", qi(db), err)
	}
	defer rows.Close()
	all := map[string][]string{} // every table's and view's column names
	pkCount := map[string]int{}
	for rows.Next() {
		var tname, name, dataType, colType, charset, extra, key string
		if err := rows.Scan(&tname, &name, &dataType, &colType, &charset, &extra, &key); err != nil {
			return nil, err
		}
		all[tname] = append(all[tname], name)
		t := byName[tname]
		if t == nil || t.sequence || strings.Contains(strings.ToUpper(extra), "GENERATED") {
			continue
		}
		kind, intro := classify(strings.ToLower(dataType), colType, charset)
		col := column{name: name, expr: qi(name), kind: kind, introducer: intro, charset: strings.ToLower(charset),
			onUpdate: strings.Contains(strings.ToLower(extra), "on update")}
		if strings.ToLower(dataType) == "float" {
			// The server prints FLOAT with 6 digits; as DOUBLE it prints the
			// shortest text that reads back to the same bits.
			col.expr = "CAST(" + qi(name) + " AS DOUBLE)"
		}
		t.cols = append(t.cols, col)
		if key == "PRI" {
			pkCount[tname]++
			if kind == kindNumber && strings.HasSuffix(dataType, "int") {
				t.intPK = name
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", qi(db), err)
	}
	for name, n := range pkCount {
		if n != 1 {
			byName[name].intPK = "" // composite key: not chunked
		}
	}
	return all, nil
}

// showCreate runs a SHOW CREATE statement and returns its columns by name.
func showCreate(ctx context.Context, c *sql.Conn, query string) (map[string]string, error) {
	rows, err := c.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	vals := make([]sql.NullString, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	out := map[string]string{}
	found := false
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		found = true
		for i, n := range names {
			out[n] = vals[i].String
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%s returned nothing", query)
	}
	return out, nil
}

// names lists one column of a query over information_schema.
func names(ctx context.Context, c *sql.Conn, query string, args ...any) ([]string, error) {
	rows, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
