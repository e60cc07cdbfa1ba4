package project

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// querier is what schema reading needs: a pool, a pinned conn or a tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Column is one stored column, as the backup metadata records it.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"`      // COLUMN_TYPE, e.g. "int(10) unsigned"
	DataType string `json:"data_type"` // DATA_TYPE, e.g. "int"
	Nullable bool   `json:"nullable"`
	Encoding string `json:"encoding"` // number, string, base64, float
	// Defaulted is true when an insert may leave the column out.
	Defaulted bool `json:"-"`
}

// Table is a base table with its stored (non-generated) columns.
type Table struct {
	Name    string
	Columns []Column
	PK      []string // empty when the table has no primary key
	Engine  string   // InnoDB, MyISAM, ...
}

// Col returns the named column, or nil.
func (t *Table) Col(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Key is the columns that identify a row: the primary key, or every
// column when there is none (rows are then compared as a multiset).
func (t *Table) Key() []string {
	if len(t.PK) > 0 {
		return t.PK
	}
	return t.Names()
}

// Names lists the column names.
func (t *Table) Names() []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// Link is a foreign key, declared or from config: Table.Columns references
// RefTable.RefColumns.
type Link struct {
	Name       string   `json:"name"`
	Table      string   `json:"table"`
	Columns    []string `json:"columns"`
	RefTable   string   `json:"references_table"`
	RefColumns []string `json:"references_columns"`
	Declared   bool     `json:"declared"` // false for [[projects.relation]]
}

func (l Link) String() string {
	return fmt.Sprintf("%s(%s) → %s(%s)", l.Table, strings.Join(l.Columns, ","), l.RefTable, strings.Join(l.RefColumns, ","))
}

// Schema is the current database's tables and links.
type Schema struct {
	Database string
	Tables   map[string]*Table
	Links    []Link
}

// LoadSchema reads tables, columns, primary keys and foreign keys of the
// current database from information_schema.
func LoadSchema(ctx context.Context, q querier) (*Schema, error) {
	s := &Schema{Tables: map[string]*Table{}}
	if err := q.QueryRowContext(ctx, "SELECT DATABASE()").Scan(&s.Database); err != nil {
		return nil, fmt.Errorf("read schema: %w (connect with a database name)", err)
	}
	if err := s.loadColumns(ctx, q); err != nil {
		return nil, err
	}
	if err := s.loadPKs(ctx, q); err != nil {
		return nil, err
	}
	if err := s.loadEngines(ctx, q); err != nil {
		return nil, err
	}
	if err := s.loadFKs(ctx, q); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Schema) loadColumns(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE,
  c.IS_NULLABLE, c.COLUMN_DEFAULT IS NOT NULL, c.EXTRA
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE' AND c.IS_GENERATED = 'NEVER'
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`, s.Database)
	if err != nil {
		return fmt.Errorf("read columns of %s: %w", s.Database, err)
	}
	defer rows.Close()
	for rows.Next() {
		var tname, nullable, extra string
		var c Column
		var hasDefault bool
		if err := rows.Scan(&tname, &c.Name, &c.Type, &c.DataType, &nullable, &hasDefault, &extra); err != nil {
			return fmt.Errorf("read columns of %s: %w", s.Database, err)
		}
		c.Nullable = nullable == "YES"
		c.Encoding = encodingOf(c.DataType)
		c.Defaulted = hasDefault || c.Nullable || strings.Contains(extra, "auto_increment")
		t := s.Tables[tname]
		if t == nil {
			t = &Table{Name: tname}
			s.Tables[tname] = t
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read columns of %s: %w", s.Database, err)
	}
	return nil
}

func (s *Schema) loadPKs(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = ? AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX`, s.Database)
	if err != nil {
		return fmt.Errorf("read primary keys of %s: %w", s.Database, err)
	}
	defer rows.Close()
	for rows.Next() {
		var tname, col string
		if err := rows.Scan(&tname, &col); err != nil {
			return fmt.Errorf("read primary keys of %s: %w", s.Database, err)
		}
		if t := s.Tables[tname]; t != nil {
			t.PK = append(t.PK, col)
		}
	}
	return rows.Err()
}

func (s *Schema) loadEngines(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, "SELECT TABLE_NAME, COALESCE(ENGINE, '') FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", s.Database)
	if err != nil {
		return fmt.Errorf("read tables of %s: %w", s.Database, err)
	}
	defer rows.Close()
	for rows.Next() {
		var tname, engine string
		if err := rows.Scan(&tname, &engine); err != nil {
			return fmt.Errorf("read tables of %s: %w", s.Database, err)
		}
		if t := s.Tables[tname]; t != nil {
			t.Engine = engine
		}
	}
	return rows.Err()
}

func (s *Schema) loadFKs(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_SCHEMA = TABLE_SCHEMA AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`, s.Database)
	if err != nil {
		return fmt.Errorf("read foreign keys of %s: %w", s.Database, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, tname, col, rt, rc string
		if err := rows.Scan(&name, &tname, &col, &rt, &rc); err != nil {
			return fmt.Errorf("read foreign keys of %s: %w", s.Database, err)
		}
		n := len(s.Links)
		if n > 0 && s.Links[n-1].Name == name && s.Links[n-1].Table == tname {
			s.Links[n-1].Columns = append(s.Links[n-1].Columns, col)
			s.Links[n-1].RefColumns = append(s.Links[n-1].RefColumns, rc)
			continue
		}
		s.Links = append(s.Links, Link{Name: name, Table: tname, Columns: []string{col}, RefTable: rt, RefColumns: []string{rc}, Declared: true})
	}
	return rows.Err()
}

// encodingOf says how a column's values are written in JSON.
func encodingOf(dataType string) string {
	switch strings.ToLower(dataType) {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year":
		return "number"
	case "float", "double", "real":
		return "float"
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
		"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection":
		return "base64"
	}
	return "string" // text, dates, decimal, enum, set, json, uuid, inet...
}
