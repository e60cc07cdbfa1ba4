package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"golang.org/x/sync/errgroup"
)

// The read-ceiling child is this program run again with these variables
// set (variables, not flags, so that the test binary can play it too).
const (
	childEnv  = "LIFEBOAT_BENCH_READ_CEILING" // the database to read
	socketEnv = "LIFEBOAT_BENCH_SOCKET"
)

// runChild plays the read-ceiling child when the environment asks for it:
// it prints the number of bytes read. ok is false in a normal run.
func runChild(stdout, stderr io.Writer) (code int, ok bool) {
	if code, ok := runLoadChild(stdout, stderr); ok { // the load ceiling (loadceiling.go)
		return code, true
	}
	db := os.Getenv(childEnv)
	if db == "" {
		return 0, false
	}
	n, err := readAll(context.Background(), os.Getenv(socketEnv), db)
	if err != nil {
		fmt.Fprintln(stderr, "read ceiling:", err)
		return 1, true
	}
	fmt.Fprintln(stdout, n)
	return 0, true
}

// readCeiling runs this program again as a child so that its CPU time and
// peak RSS are measured like every other tool's.
func (b *bench) readCeiling(ctx context.Context) (sample, string) {
	self, err := os.Executable()
	if err != nil {
		return sample{Err: err}, ""
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), childEnv+"="+b.src, socketEnv+"="+b.srv.Socket)
	var out bytes.Buffer
	cmd.Stdout = &out
	s := runPipeline(ctx, b.srv.Pid(), cmd)
	if s.Err == nil {
		s.Size, s.Err = strconv.ParseInt(strings.TrimSpace(out.String()), 10, 64)
	}
	return s, ""
}

// readAll reads every row of every table of db over go-sql-driver into
// sql.RawBytes, two tables at a time, and returns the bytes read: the
// fastest any Go dumper on this driver can go.
func readAll(ctx context.Context, socket, db string) (int64, error) {
	c := mysql.NewConfig()
	c.User, c.Net, c.Addr, c.DBName = "root", "unix", socket, db
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return 0, err
	}
	pool := sql.OpenDB(conn)
	defer pool.Close()
	tables, err := listTables(ctx, pool, db)
	if err != nil {
		return 0, err
	}
	sizes := make([]int64, len(tables))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for i, t := range tables {
		g.Go(func() (err error) {
			sizes[i], err = readTable(gctx, pool, t)
			return err
		})
	}
	err = g.Wait()
	var total int64
	for _, n := range sizes {
		total += n
	}
	return total, err
}

func readTable(ctx context.Context, pool *sql.DB, table string) (int64, error) {
	rows, err := pool.QueryContext(ctx, "SELECT * FROM "+quoteIdent(table))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]sql.RawBytes, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("read %s: %w", table, err)
		}
		for _, v := range vals {
			n += int64(len(v))
		}
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read %s: %w", table, err)
	}
	return n, nil
}

func listTables(ctx context.Context, db *sql.DB, schema string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY DATA_LENGTH DESC, TABLE_NAME", schema)
	if err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", schema, err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tables of %s: %w", schema, err)
	}
	return tables, nil
}
