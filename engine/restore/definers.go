package restore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// MissingDefiners returns the definers ('user'@'host') that have no
// account on the server. Reading mysql.user needs a privilege; without it
// the error says so and the caller reports the definers as unchecked.
func MissingDefiners(ctx context.Context, db *sql.DB, definers []string) ([]string, error) {
	var missing []string
	for _, d := range definers {
		user, host, ok := splitDefiner(d)
		if !ok {
			continue
		}
		var n int
		err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM mysql.user WHERE User = ? AND Host = ?", user, host).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("check definer %s: %w", d, err)
		}
		if n == 0 {
			missing = append(missing, d)
		}
	}
	return missing, nil
}

// splitDefiner reads 'user'@'host' as written by the executor.
func splitDefiner(d string) (user, host string, ok bool) {
	u, h, ok := strings.Cut(d, "'@'")
	if !ok || !strings.HasPrefix(u, "'") || !strings.HasSuffix(h, "'") {
		return "", "", false
	}
	return u[1:], h[:len(h)-1], true
}
