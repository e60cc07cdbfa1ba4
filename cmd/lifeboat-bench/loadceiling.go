package main

// The load ceiling (issue 18): LOAD DATA LOCAL INFILE of the same rows from
// files prepared untimed by the server itself (SELECT … INTO OUTFILE, the
// exact text LOAD DATA reads back), cut into chunks of whole lines, with
// what lifeboat's loader does around the rows: two connections loading
// chunks in parallel (each its own transaction, unique_checks on, foreign
// key checks and the binary log off), the secondary keys deferred to one
// ALTER TABLE per table that runs on a connection of its own while the
// next table loads. It runs as a child process like the read ceiling, so
// its CPU time and peak RSS are measured the same way.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"golang.org/x/sync/errgroup"
)

const (
	loadChildEnv = "LIFEBOAT_BENCH_LOAD_CEILING" // the database to load into
	loadDirEnv   = "LIFEBOAT_BENCH_LOAD_DIR"     // the prepared files
)

// ceilingTable is one table of a prepared load: its CREATE TABLE without
// secondary keys, the ALTER TABLE that adds them ("" when none are
// deferred) and its rows in LOAD DATA's default text format.
type ceilingTable struct {
	Name   string   `json:"name"`
	Create string   `json:"create"`
	Alter  string   `json:"alter"`
	Files  []string `json:"files"` // the rows, in chunks of whole lines
}

// chunkBytes is about the size of one chunk: lifeboat's workers commit
// every 16 MiB of INSERT text (a variable for the test's small tables).
var chunkBytes = 16 << 20

const loadPlanFile = "plan.json"

// allowLocalInfile turns local_infile on in the bench's own throwaway
// server (MariaDB's default, which the sandbox's lockdown turns off): the
// load ceiling needs it, and lifeboat's loader may use it too.
func (b *bench) allowLocalInfile(ctx context.Context) error {
	_, err := b.db.ExecContext(ctx, "SET GLOBAL local_infile = 1")
	return err
}

// prepareLoadFiles writes every table of the source into dir (untimed):
// the rows by INTO OUTFILE into the server's secure_file_priv directory,
// moved into dir, and plan.json.
func (b *bench) prepareLoadFiles(ctx context.Context, dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	var priv string
	if err := b.db.QueryRowContext(ctx, "SELECT @@secure_file_priv").Scan(&priv); err != nil || priv == "" {
		return fmt.Errorf("load ceiling: the server's secure_file_priv (%q, %v) is needed for INTO OUTFILE", priv, err)
	}
	tables, err := listTables(ctx, b.db, b.src)
	if err != nil {
		return err
	}
	var plan []ceilingTable
	for i, t := range tables {
		var name, create string
		if err := b.db.QueryRowContext(ctx, "SHOW CREATE TABLE "+quoteIdent(b.src)+"."+quoteIdent(t)).Scan(&name, &create); err != nil {
			return fmt.Errorf("load ceiling: SHOW CREATE TABLE %s: %w", t, err)
		}
		lt := ceilingTable{Name: t}
		lt.Create, lt.Alter = deferKeys(create, t)
		out := filepath.Join(priv, fmt.Sprintf("lifeboat-bench-%d-%03d.txt", os.Getpid(), i))
		os.Remove(out)
		q := "SELECT * INTO OUTFILE " + quoteString(out) + " FROM " + quoteIdent(b.src) + "." + quoteIdent(t)
		if _, err := b.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("load ceiling: %s: %w", q, err)
		}
		if lt.Files, err = splitLines(out, dir, fmt.Sprintf("%03d", i)); err != nil {
			return fmt.Errorf("load ceiling: %w", err)
		}
		plan = append(plan, lt)
	}
	data, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, loadPlanFile), data, 0o600)
}

// lineEnd is the length of data through the first line end at or after
// from: a newline not escaped (INTO OUTFILE writes a newline in a value as
// a backslash and the newline itself).
func lineEnd(data []byte, from int) int {
	for i := from; i < len(data); i++ {
		if data[i] != '\n' {
			continue
		}
		k := 0
		for k < i && data[i-1-k] == '\\' {
			k++
		}
		if k%2 == 0 {
			return i + 1
		}
	}
	return len(data)
}

// splitLines cuts the file from into chunks of about chunkBytes of whole
// lines, dir/prefix-N.txt (0600), removes it and returns the chunks' names.
func splitLines(from, dir, prefix string) ([]string, error) {
	data, err := os.ReadFile(from)
	if err != nil {
		return nil, err
	}
	os.Remove(from)
	var names []string
	for len(data) > 0 {
		n := lineEnd(data, min(len(data), chunkBytes)-1)
		name := fmt.Sprintf("%s-%d.txt", prefix, len(names))
		if err := os.WriteFile(filepath.Join(dir, name), data[:n], 0o600); err != nil {
			return nil, err
		}
		names = append(names, name)
		data = data[n:]
	}
	return names, nil
}

// deferKeys moves the secondary KEY and UNIQUE KEY lines of a CREATE
// TABLE into an ALTER TABLE, on the same rule as lifeboat's loader
// (engine/restore/indexes.go): never with foreign keys, partitions or a
// non-InnoDB engine, and only when a primary key or column line stays.
func deferKeys(create, table string) (string, string) {
	if strings.Contains(create, "FOREIGN KEY") || strings.Contains(create, "PARTITION") || !strings.Contains(create, "ENGINE=InnoDB") {
		return create, ""
	}
	lines := strings.Split(create, "\n")
	if len(lines) < 3 || !strings.HasSuffix(lines[0], "(") || !strings.HasPrefix(lines[len(lines)-1], ")") {
		return create, ""
	}
	var keep, keys []string
	for _, l := range lines[1 : len(lines)-1] {
		def := strings.TrimSuffix(strings.TrimSpace(l), ",")
		if strings.HasPrefix(def, "KEY `") || strings.HasPrefix(def, "UNIQUE KEY `") {
			keys = append(keys, "ADD "+def)
			continue
		}
		keep = append(keep, "  "+def)
	}
	if len(keys) == 0 || len(keep) == 0 {
		return create, ""
	}
	return lines[0] + "\n" + strings.Join(keep, ",\n") + "\n" + lines[len(lines)-1],
		"ALTER TABLE " + quoteIdent(table) + " " + strings.Join(keys, ", ")
}

// loadCeiling is the ceiling's restore: this program again as a child
// that loads dir into target and prints the rows loaded.
func (b *bench) loadCeiling(ctx context.Context, dir, target string) sample {
	self, err := os.Executable()
	if err != nil {
		return sample{Err: err}
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), loadChildEnv+"="+target, loadDirEnv+"="+dir, socketEnv+"="+b.srv.Socket)
	var out bytes.Buffer
	cmd.Stdout = &out
	s := runPipeline(ctx, b.srv.Pid(), cmd)
	if s.Err == nil {
		if _, err := strconv.ParseInt(strings.TrimSpace(out.String()), 10, 64); err != nil {
			s.Err = fmt.Errorf("load ceiling: unreadable row count %q", out.String())
		}
	}
	s.Size = dirSize(dir)
	return s
}

// runLoadChild plays the load-ceiling child when the environment asks.
func runLoadChild(stdout, stderr io.Writer) (code int, ok bool) {
	db := os.Getenv(loadChildEnv)
	if db == "" {
		return 0, false
	}
	n, err := loadAll(context.Background(), os.Getenv(socketEnv), db, os.Getenv(loadDirEnv))
	if err != nil {
		fmt.Fprintln(stderr, "load ceiling:", err)
		return 1, true
	}
	fmt.Fprintln(stdout, n)
	return 0, true
}

// loadAll loads every table of the plan in dir into db, two at a time,
// and returns the rows loaded.
func loadAll(ctx context.Context, socket, db, dir string) (int64, error) {
	data, err := os.ReadFile(filepath.Join(dir, loadPlanFile))
	if err != nil {
		return 0, err
	}
	var plan []ceilingTable
	if err := json.Unmarshal(data, &plan); err != nil {
		return 0, fmt.Errorf("%s: %w", loadPlanFile, err)
	}
	// lifeboat's sessions: the loaders keep unique_checks on (off, the
	// first transaction on an empty table locks it), the binary log off.
	session := map[string]string{"sql_mode": "'NO_AUTO_VALUE_ON_ZERO'", "foreign_key_checks": "0", "unique_checks": "1", "sql_log_bin": "0"}
	loaders, err := ceilingPool(socket, db, session, 2)
	if err != nil {
		return 0, err
	}
	defer loaders.Close()
	session["unique_checks"] = "0"
	ddl, err := ceilingPool(socket, db, session, 1)
	if err != nil {
		return 0, err
	}
	defer ddl.Close()
	indexes, ictx := errgroup.WithContext(ctx)
	indexes.SetLimit(1)
	var total int64
	for _, t := range plan {
		if _, err := ddl.ExecContext(ctx, t.Create); err != nil {
			indexes.Wait()
			return total, fmt.Errorf("create %s: %w", t.Name, err)
		}
		n, err := loadChunks(ctx, loaders, dir, t)
		total += n
		if err != nil {
			indexes.Wait()
			return total, err
		}
		if t.Alter != "" {
			indexes.Go(func() error { // while the next table loads
				if _, err := ddl.ExecContext(ictx, t.Alter); err != nil {
					return fmt.Errorf("index %s: %w", t.Name, err)
				}
				return nil
			})
		}
	}
	return total, indexes.Wait()
}

func ceilingPool(socket, db string, session map[string]string, n int) (*sql.DB, error) {
	c := mysql.NewConfig()
	c.User, c.Net, c.Addr, c.DBName = "root", "unix", socket, db
	c.Params = session
	conn, err := mysql.NewConnector(c)
	if err != nil {
		return nil, err
	}
	pool := sql.OpenDB(conn)
	pool.SetMaxOpenConns(n)
	return pool, nil
}

// loadChunks loads a table's chunks over the loaders' connections, each
// chunk in its own transaction, and returns the rows loaded.
func loadChunks(ctx context.Context, loaders *sql.DB, dir string, t ceilingTable) (int64, error) {
	rows := make([]int64, len(t.Files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for i, f := range t.Files {
		g.Go(func() error {
			path := filepath.Join(dir, f)
			mysql.RegisterLocalFile(path)
			defer mysql.DeregisterLocalFile(path)
			res, err := loaders.ExecContext(gctx, "LOAD DATA LOCAL INFILE "+quoteString(path)+" INTO TABLE "+quoteIdent(t.Name)+" CHARACTER SET binary")
			if err != nil {
				return fmt.Errorf("load %s: %w", t.Name, err)
			}
			rows[i], _ = res.RowsAffected()
			return nil
		})
	}
	err := g.Wait()
	var n int64
	for _, r := range rows {
		n += r
	}
	return n, err
}

// quoteString is a single-quoted SQL string literal.
func quoteString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// prepareLoadCeiling writes the current shape's files for the load
// ceiling (untimed) and returns its tool and their directory.
func (b *bench) prepareLoadCeiling(ctx context.Context, log io.Writer) (tool, string, error) {
	t := tool{name: "load ceiling (LOAD DATA, files)", restore: (*bench).loadCeiling}
	dir := filepath.Join(b.work, "load-ceiling")
	fmt.Fprintln(log, "preparing the load ceiling's files (untimed) …")
	return t, dir, b.prepareLoadFiles(ctx, dir)
}
