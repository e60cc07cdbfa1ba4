package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"syscall"

	"github.com/lifeboat-dev/lifeboat/engine/units"
)

// Restore modes (RestorePlan.Mode, RestoreResult.Mode).
const (
	ModeSwap    = "swap"     // load a copy, check it, swap it in with one RENAME TABLE
	ModeInPlace = "in-place" // drop the database and load it, after a safety backup
)

// shadowMarker names the copy a swap restore loads.
const shadowMarker = "__lifeboat_new"

func shadowName(live string) string { return live + shadowMarker }

// maxSchemaName is MariaDB's limit on a database name; the kept copy's
// name adds prevMarker and a 15-character time (and a counter) to it.
const maxSchemaName = 64

// serverFreeBytes is the free space where the server keeps its data, when
// this machine can see it (the server's datadir is a local directory):
// ok is false when it cannot tell. A variable so a test can make it small.
var serverFreeBytes = func(ctx context.Context, srv *sql.DB) (free uint64, ok bool) {
	var dir string
	if err := srv.QueryRowContext(ctx, "SELECT @@GLOBAL.datadir").Scan(&dir); err != nil || dir == "" {
		return 0, false
	}
	var fs syscall.Statfs_t
	if syscall.Statfs(dir, &fs) != nil {
		return 0, false
	}
	return fs.Bavail * uint64(fs.Bsize), true
}

// swapReason says why a restore of target must run in place; "" means the
// swap can work. notes are what the plan should say about the swap.
func (e *Engine) swapReason(ctx context.Context, target string, exists bool, tables []string, opts RestoreOptions) (reason string, notes []string, err error) {
	switch {
	case opts.InPlace:
		return "--in-place was asked", nil, nil
	case !exists:
		return fmt.Sprintf("database %q does not exist: there is nothing to swap with", target), nil, nil
	case len(tables) == 0:
		return fmt.Sprintf("database %q has no tables: there is nothing to swap with", target), nil, nil
	case len(target)+len(prevMarker)+len("20060102T150405") > maxSchemaName:
		return fmt.Sprintf("database name %q is too long for the kept copy's name (%s<time>, at most %d characters)", target, prevMarker, maxSchemaName), nil, nil
	}
	srv, err := e.serverDB()
	if err != nil {
		return "", nil, err
	}
	defer srv.Close()
	if r, err := e.foreignKeysInto(ctx, srv, target); r != "" || err != nil {
		return r, nil, err
	}
	if r, err := e.swapPrivileges(ctx, srv, target); r != "" || err != nil {
		return r, nil, err
	}
	var size uint64
	if err := srv.QueryRowContext(ctx, "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", target).Scan(&size); err != nil {
		return "", nil, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	need := size + size/5 + 64<<20 // the copy, a fifth more for the load's own growth, and a margin
	free, ok := serverFreeBytes(ctx, srv)
	switch {
	case !ok:
		notes = append(notes, fmt.Sprintf("the server's free space cannot be seen from here: the copy needs about %s next to the database", units.Size(size)))
	case free < need:
		return fmt.Sprintf("not enough free space on the server for a second copy: %s free, about %s needed (database %q takes %s)", units.Size(free), units.Size(need), target, units.Size(size)), nil, nil
	}
	return "", notes, nil
}

// foreignKeysInto refuses the swap when a table of another database has a
// foreign key into target: after the RENAME it would point at the kept
// copy, not at the restored tables.
func (e *Engine) foreignKeysInto(ctx context.Context, srv *sql.DB, target string) (string, error) {
	refs, err := queryStrings(ctx, srv, `SELECT CONCAT(CONSTRAINT_SCHEMA, '.', TABLE_NAME, ' -> ', REFERENCED_TABLE_NAME)
		FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND CONSTRAINT_SCHEMA <> ? ORDER BY 1`, target, target)
	if err != nil {
		return "", fmt.Errorf("server %s: read foreign keys: %w", e.ServerLabel(), err)
	}
	if len(refs) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%d foreign key(s) from other databases point into %q (%s): a swap would leave them on the old tables", len(refs), target, strings.Join(refs[:min(len(refs), 3)], ", ")), nil
}

// swapPrivileges refuses the swap when the account may not create and
// drop the copy and the kept schema next to target.
func (e *Engine) swapPrivileges(ctx context.Context, srv *sql.DB, target string) (string, error) {
	for _, db := range []string{shadowName(target), target + prevMarker + "20060102T150405"} {
		g, err := e.readGrants(ctx, srv, db)
		if err != nil {
			return "", err
		}
		if g.role != "" {
			return "", nil // a role's grants are left to the server
		}
		if missing := g.missing(restorePrivileges); len(missing) > 0 {
			return fmt.Sprintf("account %s lacks %s on %q, where the swap loads its copy and keeps the old tables (grant them on %s)",
				g.account, strings.Join(missing, ", "), db, quoteIdent(strings.ReplaceAll(target, "_", `\_`)+`\_\_lifeboat\_%`)+".*"), nil
		}
	}
	return "", nil
}
