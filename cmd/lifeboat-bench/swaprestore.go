package main

// The restore row is the real thing (issue 18): the default swap restore
// over a filled target, with its safety copy (the kept tables). The fill
// and the drop of the kept tables are untimed; the window is read from
// restore --json.

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// restoreArgs is the restore command line every lifeboat row runs: the
// default mode and its safety copy, never --no-safety-backup.
func restoreArgs(artifact, target string) []string {
	return []string{"restore", artifact, "--into", target, "--yes", "--json"}
}

func (b *bench) lifeboatRestore(ctx context.Context, artifact, target string) sample {
	if err := b.fillTarget(ctx, target); err != nil {
		return sample{Err: fmt.Errorf("fill %s before the restore: %w", target, err)}
	}
	b.settle(ctx) // the fill is written out before the timed run
	s, reply := b.runLifeboat(ctx, restoreArgs(artifact, target)...)
	s.Size = fileSize(filepath.Join(b.lbBackups, artifact))
	if s.Err != nil {
		return s
	}
	s.Mode, s.Window = reply.Restore.Mode, msDuration(reply.Restore.SwapWindowMS)
	if s.Mode != "swap" {
		s.Err = fmt.Errorf("lifeboat restore ran in mode %q, not swap: %s", s.Mode, reply.Restore.ModeReason)
	}
	return s
}

// fillTarget copies the source's tables into target, so that the restore
// replaces a live database as it would in production (untimed).
func (b *bench) fillTarget(ctx context.Context, target string) error {
	tables, err := listTables(ctx, b.db, b.src)
	if err != nil {
		return err
	}
	for _, t := range tables {
		dst, src := quoteIdent(target)+"."+quoteIdent(t), quoteIdent(b.src)+"."+quoteIdent(t)
		for _, q := range []string{"CREATE TABLE " + dst + " LIKE " + src, "INSERT INTO " + dst + " SELECT * FROM " + src} {
			if _, err := b.db.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
	}
	return nil
}

// dropPrevious drops the kept tables of every swap into target (the
// target__lifeboat_prev_* schemas), untimed, with the target itself.
func (b *bench) dropPrevious(target string) {
	ctx := context.Background()
	prefix := target + "__lifeboat_prev_"
	rows, err := b.db.QueryContext(ctx, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE LEFT(SCHEMA_NAME, ?) = ?", len(prefix), prefix)
	if err != nil {
		return
	}
	var schemas []string
	for rows.Next() {
		var s string
		if rows.Scan(&s) == nil && strings.HasPrefix(s, prefix) {
			schemas = append(schemas, s)
		}
	}
	rows.Close()
	for _, s := range schemas {
		b.db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(s))
	}
}

// reportSwap writes the swap windows of the lifeboat restore runs.
func reportSwap(w io.Writer, lb *series) {
	if !lb.ok() {
		return
	}
	var ws []string
	for _, s := range lb.samples {
		ws = append(ws, fmt.Sprintf("%d ms", s.Window.Milliseconds()))
	}
	fmt.Fprintf(w, "\nlifeboat restore: mode swap over a filled database (its previous tables kept as the safety copy, dropped untimed afterwards); swap window per run: %s\n", strings.Join(ws, ", "))
}

// windowTarget is the swap's critical window, median over the runs.
func windowTarget(lb *series) target {
	t := target{what: "swap window < 100 ms (median)", limit: 100, unit: " ms"}
	if lb.ok() {
		t.value, t.known = lb.median(window), true
	}
	return t
}
