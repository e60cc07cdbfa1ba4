package dump

import (
	"context"
	"database/sql"
	"fmt"
)

// What packet.go needs from the server: its max_allowed_packet, and the
// key that names a row in an UPDATE.

// readMaxPacket reads the server's max_allowed_packet: the global value,
// the one a restoring connection gets.
func readMaxPacket(ctx context.Context, c *sql.Conn) (int64, error) {
	var n int64
	if err := c.QueryRowContext(ctx, "SELECT @@GLOBAL.max_allowed_packet").Scan(&n); err != nil {
		return 0, fmt.Errorf("read max_allowed_packet: %w", err)
	}
	return n, nil
}

// loadKeys gives each table the key its UPDATEs name a row by: the primary
// key, else the first unique key whose columns are all dumped and NOT NULL.
func loadKeys(ctx context.Context, c *sql.Conn, db string, tables []*table) error {
	rows, err := c.QueryContext(ctx, `SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME, NULLABLE
		FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0
		ORDER BY TABLE_NAME, INDEX_NAME <> 'PRIMARY', INDEX_NAME, SEQ_IN_INDEX`, db)
	if err != nil {
		return fmt.Errorf("keys of %s: %w", qi(db), err)
	}
	defer rows.Close()
	byName := map[string]*table{}
	for _, t := range tables {
		byName[t.name] = t
	}
	type key struct {
		cols []int
		ok   bool
	}
	keys := map[string][]*key{} // per table, in order, by index name
	last := map[string]string{}
	for rows.Next() {
		var tname, index, col, nullable string
		if err := rows.Scan(&tname, &index, &col, &nullable); err != nil {
			return err
		}
		t := byName[tname]
		if t == nil {
			continue
		}
		if last[tname] != index || len(keys[tname]) == 0 {
			keys[tname] = append(keys[tname], &key{ok: true})
			last[tname] = index
		}
		k := keys[tname][len(keys[tname])-1]
		i := colIndex(t, col)
		if i < 0 || nullable == "YES" {
			k.ok = false
			continue
		}
		k.cols = append(k.cols, i)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("keys of %s: %w", qi(db), err)
	}
	for name, ks := range keys {
		for _, k := range ks {
			if k.ok && len(k.cols) > 0 {
				byName[name].key = k.cols
				break
			}
		}
	}
	return nil
}

func colIndex(t *table, name string) int {
	for i, c := range t.cols {
		if c.name == name {
			return i
		}
	}
	return -1
}
