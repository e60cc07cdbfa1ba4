package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// datasetOptions size the benchmark data. At Scale 1 the mixed shape is
// about 200 MB of SQL: ~1M event rows, ~2,000 documents of 10–100 KB, an
// audit log without a primary key and 50 small lookup tables.
type datasetOptions struct {
	Scale float64
	Seed  uint64
}

// datasetStats is what loadDataset wrote.
type datasetStats struct {
	Rows     map[string]int64
	Duration time.Duration
}

const numLookups = 50

// datasetBase is the fixed origin of every generated time.
var datasetBase = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func datasetSchema() []string {
	ddl := []string{
		`CREATE TABLE events (
  id BIGINT UNSIGNED NOT NULL,
  account_id INT NOT NULL,
  kind ENUM('view','click','signup','purchase','refund') NOT NULL,
  amount DECIMAL(12,2) NULL,
  note VARCHAR(255) NULL,
  payload JSON NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY events_account (account_id, created_at),
  KEY events_kind (kind, amount)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE documents (
  id INT UNSIGNED NOT NULL,
  title VARCHAR(200) NOT NULL,
  mime VARCHAR(64) NOT NULL,
  body MEDIUMTEXT NULL,
  attachment MEDIUMBLOB NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE audit_log (
  ts DATETIME(3) NOT NULL,
  actor VARCHAR(64) NOT NULL,
  action VARCHAR(32) NOT NULL,
  detail TEXT NULL,
  KEY audit_ts (ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
	}
	for i := 1; i <= numLookups; i++ {
		ddl = append(ddl, fmt.Sprintf(`CREATE TABLE lookup_%02d (
  id INT NOT NULL,
  code VARCHAR(32) NOT NULL,
  label VARCHAR(100) NOT NULL,
  value DECIMAL(10,3) NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY lookup_%02d_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`, i, i))
	}
	return ddl
}

// loadDataset loads the mixed shape (the original bench dataset).
func loadDataset(ctx context.Context, db *sql.DB, opts datasetOptions) (datasetStats, error) {
	mixed, _ := shapeNamed("mixed")
	return loadShape(ctx, db, mixed, opts)
}

// loadShape creates a shape's schema in db's database and fills it, two
// tables at a time. Every table has its own random stream, so the data is
// the same whatever the order of loading.
func loadShape(ctx context.Context, db *sql.DB, sh shape, opts datasetOptions) (datasetStats, error) {
	start := time.Now()
	for _, q := range sh.ddl() {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return datasetStats{}, fmt.Errorf("dataset %s: %s: %w", sh.name, firstLine(q), err)
		}
	}
	scaled := func(n float64) int { return max(1, int(math.Round(n*opts.Scale))) }
	stats := datasetStats{Rows: map[string]int64{}}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	for _, job := range sh.jobs(scaled) {
		g.Go(func() error {
			n, err := loadTable(gctx, db, job.table, opts.Seed, job.gen)
			mu.Lock()
			stats.Rows[job.table] = n
			mu.Unlock()
			return err
		})
	}
	err := g.Wait()
	stats.Duration = time.Since(start)
	return stats, err
}

// loadTable fills one table in its own transaction on a pinned connection
// with the load-time checks off.
func loadTable(ctx context.Context, db *sql.DB, table string, seed uint64, gen func(*rand.Rand, *batcher) error) (int64, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	for _, q := range []string{"SET SESSION unique_checks=0", "SET SESSION foreign_key_checks=0", "SET SESSION sql_log_bin=0", "SET SESSION time_zone='+00:00'"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("dataset: %s: %w", q, err)
		}
	}
	defer conn.ExecContext(context.Background(), "SET SESSION unique_checks=1, foreign_key_checks=1, sql_log_bin=1")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	b := &batcher{ctx: ctx, tx: tx, table: table}
	r := rand.New(rand.NewPCG(seed, tableStream(table)))
	if err := gen(r, b); err != nil {
		tx.Rollback()
		return b.total, err
	}
	if err := b.flush(); err != nil {
		tx.Rollback()
		return b.total, err
	}
	return b.total, tx.Commit()
}

// tableStream derives a PCG stream from a table name (FNV-1a).
func tableStream(table string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(table); i++ {
		h ^= uint64(table[i])
		h *= 1099511628211
	}
	return h
}

// batcher collects rows into multi-row INSERTs with placeholders; the
// driver interpolates them (InterpolateParams), so no placeholder limit
// applies and the driver does the escaping.
type batcher struct {
	ctx   context.Context
	tx    *sql.Tx
	table string
	cols  int
	args  []any
	rows  int
	bytes int
	total int64
}

const batchBytes = 1 << 20

func (b *batcher) add(size int, vals ...any) error {
	b.cols = len(vals)
	b.args = append(b.args, vals...)
	b.rows++
	b.total++
	b.bytes += size
	if b.bytes >= batchBytes || b.rows >= 5000 {
		return b.flush()
	}
	return nil
}

func (b *batcher) flush() error {
	if b.rows == 0 {
		return nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", b.cols), ",") + ")"
	q := "INSERT INTO `" + b.table + "` VALUES " + strings.TrimSuffix(strings.Repeat(one+",", b.rows), ",")
	if _, err := b.tx.ExecContext(b.ctx, q, b.args...); err != nil {
		return fmt.Errorf("dataset: insert %d rows into %s: %w", b.rows, b.table, err)
	}
	b.args, b.rows, b.bytes = b.args[:0], 0, 0
	return nil
}

var kinds = []string{"view", "view", "view", "click", "click", "signup", "purchase", "refund"}

var agents = []string{"curl/8.5", "Firefox/128", "Safari/17", "okhttp/4.12", "Chrome/126"}

var noteWords = []string{"order", "shipped", "café", "naïve", "Größe", "blåbær", "注文", "配送", "🚀", "👍🏽", `it's`, `"late"`, `C:\tmp\x`, `100%`, "ok", "retry", "customer", "said", "thanks", "Ærlig talt"}

func genEvents(r *rand.Rand, b *batcher, n int) error {
	for i := range n {
		id := int64(i)*3 + 1 + int64(r.IntN(3)) // gaps, still ascending
		kind := kinds[r.IntN(len(kinds))]
		var amount, note, payload any
		if kind == "purchase" || kind == "refund" || r.IntN(4) == 0 {
			amount = fmt.Sprintf("%d.%02d", r.IntN(100000), r.IntN(100))
		}
		if r.IntN(3) > 0 {
			note = words(r, noteWords, 2+r.IntN(8))
		}
		if r.IntN(2) == 0 {
			payload = fmt.Sprintf(`{"ip":"10.%d.%d.%d","ua":%q,"ref":%q}`,
				r.IntN(256), r.IntN(256), r.IntN(256), agents[r.IntN(len(agents))], words(r, noteWords, 1+r.IntN(2)))
		}
		at := datasetBase.Add(time.Duration(r.Int64N(400*24*3600*1e6)) * time.Microsecond).Format("2006-01-02 15:04:05.000000")
		if err := b.add(110, id, int64(1+r.IntN(50000)), kind, amount, note, payload, at); err != nil {
			return err
		}
	}
	return nil
}

var bodyWords = strings.Fields("the backup of the primary database finished and the replica caught up with the binary log while the operators checked every table row and checksum before they signed off the change window lorem ipsum dolor sit amet Ærlig blåbær 注文 配送 🚀 \"quoted\" it's back\\slash")

// genDocuments makes TEXT bodies (compressible prose) and binary
// attachments (incompressible bytes with some structure), 10–100 KB each.
func genDocuments(r *rand.Rand, b *batcher, n int) error {
	for i := range n {
		u := r.Float64()
		size := 10_000 + int(90_000*u*u) // 10–100 KB, most near the small end
		var body, attachment any
		mime := "text/markdown"
		if r.IntN(3) == 0 {
			mime = "application/octet-stream"
			buf := make([]byte, size)
			for j := range buf {
				if j%64 < 16 { // a repeated header-like run every 64 bytes
					buf[j] = byte(j % 7)
				} else {
					buf[j] = byte(r.IntN(256))
				}
			}
			attachment = buf
		} else {
			var sb strings.Builder
			for sb.Len() < size {
				sb.WriteString(bodyWords[r.IntN(len(bodyWords))])
				sb.WriteByte(" \n"[min(1, r.IntN(12)/11)])
			}
			body = sb.String()
		}
		title := "Document " + strconv.Itoa(i+1) + ": " + words(r, noteWords, 3)
		at := datasetBase.Add(time.Duration(r.IntN(400*24*3600)) * time.Second).Format(time.DateTime)
		if err := b.add(size, int64(i+1), title, mime, body, attachment, at); err != nil {
			return err
		}
	}
	return nil
}

var actions = []string{"login", "logout", "update", "delete", "export", "grant"}

// genAudit fills the table without a primary key, duplicates included.
func genAudit(r *rand.Rand, b *batcher, n int) error {
	var prev []any
	for range n {
		if prev != nil && r.IntN(50) == 0 {
			if err := b.add(80, prev...); err != nil { // an exact duplicate row
				return err
			}
			continue
		}
		var detail any
		if r.IntN(4) > 0 {
			detail = words(r, noteWords, 3+r.IntN(10))
		}
		at := datasetBase.Add(time.Duration(r.Int64N(400*24*3600*1000)) * time.Millisecond).Format("2006-01-02 15:04:05.000")
		prev = []any{at, "user" + strconv.Itoa(r.IntN(300)), actions[r.IntN(len(actions))], detail}
		if err := b.add(80, prev...); err != nil {
			return err
		}
	}
	return nil
}

func genLookup(r *rand.Rand, b *batcher, n int) error {
	for i := range n {
		var value any
		if r.IntN(5) > 0 {
			value = fmt.Sprintf("%d.%03d", r.IntN(1_000_000), r.IntN(1000))
		}
		at := datasetBase.Add(time.Duration(r.IntN(400*24*3600)) * time.Second).Format(time.DateTime)
		if err := b.add(60, int64(i+1), "C"+strconv.Itoa(i+1), words(r, noteWords, 1+r.IntN(4)), value, at); err != nil {
			return err
		}
	}
	return nil
}

func words(r *rand.Rand, list []string, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = list[r.IntN(len(list))]
	}
	return strings.Join(w, " ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
