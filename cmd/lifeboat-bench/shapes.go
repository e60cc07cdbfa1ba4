package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// A shape is one kind of data the bench measures on its own (issue 19):
// lifeboat must be fast on application data that compresses well, on wide
// rows of long text, and on the original mixed dataset. Each shape lives
// in its own database and is generated deterministically from the seed.
type shape struct {
	name  string
	about string // one line for the report
	ddl   func() []string
	// jobs lists the tables, largest first, each with its generator for a
	// given scale (scaled rounds a count at scale 1 to the run's scale).
	jobs func(scaled func(float64) int) []tableJob
}

type tableJob struct {
	table string
	gen   func(*rand.Rand, *batcher) error
}

// shapes are in the order the bench runs and reports them.
func shapes() []shape {
	return []shape{
		{name: "compressible", about: "1.2M short rows: ints, short varchars, an enum, a timestamp (about 87 MiB of SQL at scale 1)",
			ddl: compressibleSchema, jobs: compressibleJobs},
		{name: "wide", about: "5,000 wide rows with long TEXT, 4–30 KB of prose each (about 65 MiB of SQL at scale 1)",
			ddl: wideSchema, jobs: wideJobs},
		{name: "mixed", about: "the original dataset: events with JSON, documents with blobs, an audit log without a primary key, 50 lookups (about 209 MiB of SQL at scale 1)",
			ddl: datasetSchema, jobs: mixedJobs},
	}
}

// shapeNamed finds a shape by name.
func shapeNamed(name string) (shape, bool) {
	for _, s := range shapes() {
		if s.name == name {
			return s, true
		}
	}
	return shape{}, false
}

func compressibleSchema() []string {
	return []string{`CREATE TABLE orders (
  id INT UNSIGNED NOT NULL,
  customer_id INT NOT NULL,
  status ENUM('new','paid','shipped','delivered','cancelled') NOT NULL,
  qty SMALLINT NOT NULL,
  price_cents INT NOT NULL,
  country CHAR(2) NOT NULL,
  sku VARCHAR(16) NOT NULL,
  coupon VARCHAR(12) NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (id),
  KEY orders_customer (customer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`}
}

func compressibleJobs(scaled func(float64) int) []tableJob {
	return []tableJob{{"orders", func(r *rand.Rand, b *batcher) error { return genOrders(r, b, scaled(1_200_000)) }}}
}

var (
	statuses  = []string{"new", "paid", "paid", "shipped", "shipped", "shipped", "delivered", "delivered", "delivered", "cancelled"}
	countries = []string{"US", "US", "US", "DE", "FR", "GB", "NO", "JP", "BR", "IN"}
	coupons   = []string{"WELCOME10", "SPRING", "VIP", "FREESHIP"}
)

// genOrders makes short, repetitive rows, as most application tables are.
func genOrders(r *rand.Rand, b *batcher, n int) error {
	for i := range n {
		var coupon any
		if r.IntN(8) == 0 {
			coupon = coupons[r.IntN(len(coupons))]
		}
		at := datasetBase.Add(time.Duration(i)*20*time.Second + time.Duration(r.IntN(20))*time.Second).Format(time.DateTime)
		sku := "SKU-" + strconv.Itoa(1000+r.IntN(400))
		if err := b.add(70, int64(i+1), int64(1+r.IntN(20000)), statuses[r.IntN(len(statuses))], int64(1+r.IntN(5)),
			int64(99+r.IntN(200)*100), countries[r.IntN(len(countries))], sku, coupon, at); err != nil {
			return err
		}
	}
	return nil
}

func wideSchema() []string {
	return []string{`CREATE TABLE articles (
  id INT UNSIGNED NOT NULL,
  author VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  summary TEXT NOT NULL,
  body LONGTEXT NOT NULL,
  tags VARCHAR(255) NULL,
  published_at DATETIME NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`}
}

func wideJobs(scaled func(float64) int) []tableJob {
	return []tableJob{{"articles", func(r *rand.Rand, b *batcher) error { return genArticles(r, b, scaled(5_000)) }}}
}

// genArticles makes wide rows: a summary of about 500 bytes and a body of
// 4–30 KB of prose with quotes, backslashes and newlines to escape.
func genArticles(r *rand.Rand, b *batcher, n int) error {
	for i := range n {
		u := r.Float64()
		body := prose(r, 4_000+int(26_000*u*u))
		summary := prose(r, 300+r.IntN(400))
		var tags any
		if r.IntN(3) > 0 {
			tags = words(r, noteWords, 1+r.IntN(4))
		}
		at := datasetBase.Add(time.Duration(r.IntN(400*24*3600)) * time.Second).Format(time.DateTime)
		if err := b.add(len(body)+len(summary), int64(i+1), "user"+strconv.Itoa(r.IntN(200)),
			"Article "+strconv.Itoa(i+1)+": "+words(r, noteWords, 4), summary, body, tags, at); err != nil {
			return err
		}
	}
	return nil
}

func prose(r *rand.Rand, size int) string {
	var sb strings.Builder
	sb.Grow(size + 16)
	for sb.Len() < size {
		sb.WriteString(bodyWords[r.IntN(len(bodyWords))])
		sb.WriteByte(" \n"[min(1, r.IntN(14)/13)])
	}
	return sb.String()
}

func mixedJobs(scaled func(float64) int) []tableJob {
	jobs := []tableJob{
		{"events", func(r *rand.Rand, b *batcher) error { return genEvents(r, b, scaled(1_000_000)) }},
		{"documents", func(r *rand.Rand, b *batcher) error { return genDocuments(r, b, scaled(2_000)) }},
		{"audit_log", func(r *rand.Rand, b *batcher) error { return genAudit(r, b, scaled(60_000)) }},
	}
	for i := 1; i <= numLookups; i++ {
		jobs = append(jobs, tableJob{fmt.Sprintf("lookup_%02d", i), func(r *rand.Rand, b *batcher) error { return genLookup(r, b, 10+r.IntN(490)) }})
	}
	return jobs
}
