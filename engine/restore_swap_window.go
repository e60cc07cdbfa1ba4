package engine

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// prevMarker names the schemas that keep the tables a swap replaced.
const prevMarker = "__lifeboat_prev_"

// swapStageHook lets tests act at a stage of a swap restore ("loaded":
// the copy is loaded, not yet checked; "rename": just before the RENAME
// TABLE; "objects": just after it), given the swap connection's id (0
// before the window). Nil outside tests.
var swapStageHook func(stage string, connID int64)

// swapped is what a swap did.
type swapped struct {
	prev   string        // where live's tables went
	window time.Duration // from dropping live's triggers to the last object re-created
	note   string        // a problem after the window that did not undo it
	// started: the window began, so live may have changed (the error
	// then says what live holds); before it, live is untouched.
	started bool
}

// swapSchemas moves every table of live to a new schema prev and every
// table of incoming into live, in one RENAME TABLE, re-creating the
// objects on both sides, then drops the emptied incoming. When the window
// fails, it finds out on a new connection whether the RENAME happened and
// leaves live wholly old or wholly new, the error saying which.
func (e *Engine) swapSchemas(ctx context.Context, live, incoming string) (swapped, error) {
	var out swapped
	srv, err := e.serverDB()
	if err != nil {
		return out, err
	}
	defer srv.Close()
	srv.SetMaxOpenConns(2)
	c, err := srv.Conn(ctx)
	if err != nil {
		return out, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	defer c.Close()
	old, err := readSchemaObjects(ctx, c, live)
	if err != nil {
		return out, err
	}
	neu, err := readSchemaObjects(ctx, c, incoming)
	if err != nil {
		return out, err
	}
	if len(neu.tables) == 0 {
		return out, fmt.Errorf("the new copy %q holds no tables", incoming)
	}
	if out.prev, err = newPrevName(ctx, c, live); err != nil {
		return out, err
	}
	if _, err := c.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(out.prev)+" CHARACTER SET "+old.charset+" COLLATE "+old.collate); err != nil {
		return out, fmt.Errorf("create %q for the previous tables: %w", out.prev, err)
	}
	// The copy's triggers cannot move with its tables, and its events must not fire.
	if err := dropObjects(ctx, c, incoming, neu.objects, "TRIGGER", "EVENT"); err != nil {
		return out, err
	}
	var id int64
	if err := c.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		return out, fmt.Errorf("server %s: %w", e.ServerLabel(), err)
	}
	out.started = true
	var werr error
	if out.window, werr = windowWithRetry(ctx, c, id, live, incoming, out.prev, old, neu); werr != nil {
		return out, e.recoverSwap(srv, live, incoming, out.prev, old, neu, werr)
	}
	if strings.Contains(incoming, prevMarker) { // an undo: kept events run again
		out.note = setEvents(ctx, c, live, "SLAVESIDE_DISABLED", "ENABLE")
	}
	if n := keepPrevious(ctx, c, live, out.prev, old); n != "" {
		out.note = n
	}
	if _, err := c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(incoming)); err != nil && out.note == "" {
		out.note = fmt.Sprintf("the emptied copy %q could not be dropped: %v; drop it by hand", incoming, err)
	}
	return out, nil
}

// swapWindow is the critical window: live's triggers go (a table with
// triggers cannot change schema), one RENAME TABLE swaps the tables, and
// the new objects replace the old ones. renamed says the RENAME happened.
// Up to it, the connection waits swapLockWait at most for a table's lock
// (windowWithRetry); after it, as long as it takes to finish.
func swapWindow(ctx context.Context, c execer, id int64, live, incoming, prev string, old, neu schemaObjects) (renamed bool, err error) {
	if _, err := c.ExecContext(ctx, "USE "+quoteIdent(live)); err != nil {
		return false, err
	}
	if err := dropObjects(ctx, c, live, old.objects, "TRIGGER"); err != nil {
		return false, err
	}
	stage(ctx, "rename", id)
	var moves []string
	for _, t := range old.tables {
		moves = append(moves, quoteIdent(live)+"."+quoteIdent(t)+" TO "+quoteIdent(prev)+"."+quoteIdent(t))
	}
	for _, t := range neu.tables {
		moves = append(moves, quoteIdent(incoming)+"."+quoteIdent(t)+" TO "+quoteIdent(live)+"."+quoteIdent(t))
	}
	if _, err := c.ExecContext(ctx, "RENAME TABLE "+strings.Join(moves, ", ")); err != nil {
		return false, fmt.Errorf("swap the tables of %q: %w", live, err)
	}
	if _, err := c.ExecContext(ctx, "SET SESSION lock_wait_timeout = DEFAULT"); err != nil {
		return true, err
	}
	stage(ctx, "objects", id)
	return true, newObjects(ctx, c, live, incoming, old, neu)
}

func stage(_ context.Context, name string, id int64) {
	if swapStageHook != nil {
		swapStageHook(name, id)
	}
}

// newObjects gives live (the connection's current database) the incoming
// schema's character set and objects, dropping the old ones it lacks.
func newObjects(ctx context.Context, c execer, live, incoming string, old, neu schemaObjects) error {
	if old.charset != neu.charset || old.collate != neu.collate {
		if _, err := c.ExecContext(ctx, "ALTER DATABASE "+quoteIdent(live)+" CHARACTER SET "+neu.charset+" COLLATE "+neu.collate); err != nil {
			return fmt.Errorf("set the character set of %q: %w", live, err)
		}
	}
	keep := map[string]bool{}
	for _, o := range neu.objects {
		keep[o.kind+" "+o.name] = true
	}
	var gone []schemaObject
	for _, o := range old.objects {
		if !keep[o.kind+" "+o.name] && o.kind != "TRIGGER" {
			gone = append(gone, o)
		}
	}
	if err := dropObjects(ctx, c, live, gone, "VIEW", "PROCEDURE", "FUNCTION", "EVENT"); err != nil {
		return err
	}
	return createObjects(ctx, c, changedObjects(live, incoming, old, neu), incoming, live)
}

// changedObjects are the incoming objects live must re-create in the
// window: every trigger (live's were dropped for the RENAME), and the
// views, routines and events whose definition or session differs from
// live's. An unchanged view names its tables, not the files behind
// them, so after the RENAME it reads the new tables as it is; leaving
// it alone keeps its CREATE out of the window (issue 18).
func changedObjects(live, incoming string, old, neu schemaObjects) []schemaObject {
	have := map[string]schemaObject{}
	for _, o := range old.objects {
		have[o.kind+" "+o.name] = o
	}
	var out []schemaObject
	for _, o := range neu.objects {
		h, ok := have[o.kind+" "+o.name]
		same := ok && o.kind != "TRIGGER" && h.sqlMode == o.sqlMode && h.charset == o.charset &&
			h.collation == o.collation && h.timeZone == o.timeZone &&
			h.create == strings.ReplaceAll(o.create, quoteIdent(incoming)+".", quoteIdent(live)+".")
		if !same {
			out = append(out, o)
		}
	}
	return out
}

// recoverSwap runs after a failed window, on a new connection: if the
// RENAME did not happen, live gets its triggers back and is wholly old;
// if it did, the new objects are finished and live is wholly new.
func (e *Engine) recoverSwap(srv *sql.DB, live, incoming, prev string, old, neu schemaObjects, cause error) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if lostConnection(cause) {
		cause = fmt.Errorf("%w: lost the connection to the server %s during the swap", cause, e.ServerLabel())
	}
	c, err := srv.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%w; and the server cannot be reached to check the swap (%v): database %q is either wholly old or wholly new; look for tables in %q: if it has them, %q holds the backup's data", cause, err, live, prev, live)
	}
	defer c.Close()
	var moved int
	if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", prev).Scan(&moved); err != nil {
		return fmt.Errorf("%w; and the swap could not be checked (%v): look for tables in %q", cause, err, prev)
	}
	if _, err := c.ExecContext(ctx, "USE "+quoteIdent(live)); err != nil {
		return fmt.Errorf("%w; and database %q cannot be selected to finish: %v", cause, live, err)
	}
	if moved == 0 {
		var triggers []schemaObject
		for _, o := range old.objects {
			if o.kind == "TRIGGER" {
				triggers = append(triggers, o)
			}
		}
		if err := createObjects(ctx, c, triggers, live, live); err != nil {
			return fmt.Errorf("%w; the swap did not happen and database %q keeps its old data, but its triggers could not be put back: %v", cause, live, err)
		}
		_, _ = c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(prev))
		_, _ = c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(incoming))
		return settled{fmt.Errorf("%w; the swap did not happen: database %q is unchanged (wholly the old data), and the new copy was dropped", cause, live)}
	}
	if err := newObjects(ctx, c, live, incoming, old, neu); err != nil {
		return fmt.Errorf("%w; database %q holds the backup's tables, but its views, routines, triggers or events could not all be re-created (%v); the previous tables are in %q", cause, live, err, prev)
	}
	note := keepPrevious(ctx, c, live, prev, old)
	_, _ = c.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(incoming))
	msg := fmt.Sprintf("%v; lifeboat finished the swap on a new connection: database %q is wholly the backup's data; the previous data is in %q (lifeboat restore --undo brings it back)", cause, live, prev)
	if note != "" {
		msg += "; " + note
	}
	return settled{fmt.Errorf("%s", msg)}
}

// settled is a failed swap window that recovery left whole (wholly old or
// wholly new, as its message says): nothing is partial.
type settled struct{ error }

func (s settled) Unwrap() error { return s.error }

// keepPrevious re-creates live's old objects in prev, next to the tables
// they belong to, so an undo brings them back too. Enabled events are set
// to DISABLE ON SLAVE there (they must not change the kept copy), which
// an undo turns back into ENABLE. A failure here does not undo the swap;
// it is reported.
func keepPrevious(ctx context.Context, c *sql.Conn, live, prev string, old schemaObjects) string {
	if _, err := c.ExecContext(ctx, "USE "+quoteIdent(prev)); err != nil {
		return fmt.Sprintf("the previous objects could not be kept in %q: %v", prev, err)
	}
	if err := createObjects(ctx, c, old.objects, live, prev); err != nil {
		return fmt.Sprintf("the previous objects could not all be kept in %q: %v", prev, err)
	}
	return setEvents(ctx, c, prev, "ENABLED", "DISABLE ON SLAVE")
}

// setEvents alters db's events of status from (information_schema's
// word) to the status to; "" when all went well.
func setEvents(ctx context.Context, c *sql.Conn, db, from, to string) string {
	names, err := connStrings(ctx, c, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? AND STATUS = ?", db, from)
	if err != nil {
		return fmt.Sprintf("the events of %q could not be listed: %v", db, err)
	}
	for _, n := range names {
		if _, err := c.ExecContext(ctx, "ALTER EVENT "+quoteIdent(db)+"."+quoteIdent(n)+" "+to); err != nil {
			return fmt.Sprintf("event %q in %q could not be set to %s: %v", n, db, to, err)
		}
	}
	return ""
}

// newPrevName is live__lifeboat_prev_<UTC time>, with a counter when two
// swaps fall in one second.
func newPrevName(ctx context.Context, c *sql.Conn, live string) (string, error) {
	base := live + prevMarker + time.Now().UTC().Format("20060102T150405")
	for i := 1; i < 100; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s_%d", base, i)
		}
		var n int
		if err := c.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return name, nil
		}
	}
	return "", fmt.Errorf("too many %s%s* schemas in one second", live, prevMarker)
}
