package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/lifeboat-dev/lifeboat/engine/catalog"
)

// checkShadowContent compares CHECKSUM TABLE of each table of the loaded
// copy with the one the backup recorded in its snapshot (issue 18): the
// rows as loaded against the rows as dumped, beyond their count. It reads
// the copy once, on the server, while its pages are still in memory. An
// older manifest has no checksums, and a checksum is only compared on the
// server version that made it (the sum follows how the server stores a
// row): both leave the row counts alone to speak.
func checkShadowContent(ctx context.Context, srv *sql.DB, shadow string, tables []string, m *catalog.Manifest) error {
	if len(m.Checksums) == 0 {
		return nil
	}
	var version string
	if err := srv.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return fmt.Errorf("read the server's version: %w", err)
	}
	if versionNumber(version) != versionNumber(m.ServerVersion) {
		return nil
	}
	var list []string
	for _, t := range tables {
		if _, ok := m.Checksums[t]; ok {
			list = append(list, quoteIdent(shadow)+"."+quoteIdent(t))
		}
	}
	if len(list) == 0 {
		return nil
	}
	rows, err := srv.QueryContext(ctx, "CHECKSUM TABLE "+strings.Join(list, ", "))
	if err != nil {
		return fmt.Errorf("checksum the copy: %w", err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var name string
		var sum sql.NullString
		if err := rows.Scan(&name, &sum); err != nil {
			return err
		}
		t := strings.TrimPrefix(name, shadow+".")
		want, ok := m.Checksums[t]
		if !ok {
			continue
		}
		seen++
		got, err := strconv.ParseUint(sum.String, 10, 64)
		if !sum.Valid || err != nil {
			return fmt.Errorf("table %q of the copy cannot be checksummed (%q)", t, sum.String)
		}
		if got != want {
			return fmt.Errorf("table %q holds other rows than the backup wrote: CHECKSUM TABLE of the loaded copy is %d, the backup recorded %d", t, got, want)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("checksum the copy: %w", err)
	}
	if seen != len(list) {
		return fmt.Errorf("CHECKSUM TABLE answered for %d of the copy's %d tables", seen, len(list))
	}
	return nil
}

// versionNumber is "10.11.19" of "10.11.19-MariaDB-log".
func versionNumber(v string) string {
	n, _, _ := strings.Cut(v, "-")
	return n
}
