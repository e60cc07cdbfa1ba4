package project

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// A guard silences a trigger for the restoring session alone. The guarded
// body is
//
//	IF CONNECTION_ID() <> 42 OR @lifeboat_guard_<32 hex> IS NULL /* lifeboat restore guard */ THEN
//	<original body>;
//	END IF
//
// so the trigger runs for every other session, and for the restoring one
// until it sets the variable. Another session cannot have connection 42
// (only an account allowed to set pseudo_thread_id could pretend to), and
// it cannot guess the variable's name: it must read the trigger for that,
// and whoever may read it may drop it anyway. The old guard,
// `IF @lifeboat_restore_guard IS NULL`, was silenced by any session that
// set the variable; it is still recognised so that it can be repaired.

// oldGuardVar is the session variable of the spoofable guard of earlier
// versions.
const oldGuardVar = "@lifeboat_restore_guard"

// guardMarker ends the guard's condition; it makes a guarded trigger easy
// to find in information_schema.TRIGGERS.
const guardMarker = "/* lifeboat restore guard */"

var (
	guardHead    = regexp.MustCompile(`^IF CONNECTION_ID\(\) <> ([0-9]+) OR @lifeboat_guard_[0-9a-f]{32} IS NULL ` + regexp.QuoteMeta(guardMarker) + ` THEN\n`)
	oldGuardHead = "IF " + oldGuardVar + " IS NULL THEN\n"
	guardTail    = ";\nEND IF"
)

// guard is one restore's guard: its connection and its secret variable.
type guard struct {
	connID   int64
	secret   string // the variable's name, @lifeboat_guard_<hex>
	database string // the database whose triggers it guards
}

// newGuard makes a guard for the restoring connection q.
func newGuard(ctx context.Context, q querier) (guard, error) {
	var g guard
	if err := q.QueryRowContext(ctx, "SELECT CONNECTION_ID(), DATABASE()").Scan(&g.connID, &g.database); err != nil {
		return g, fmt.Errorf("read the restoring connection's id: %w", err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return g, err
	}
	g.secret = "@lifeboat_guard_" + hex.EncodeToString(b)
	return g, nil
}

// silence is the statement the restoring session runs to pass its guards.
func (g guard) silence() string { return "SET " + g.secret + " = 1" }

// wrap is the trigger's CREATE OR REPLACE statement with its body guarded.
func (g guard) wrap(tr Trigger) (string, error) {
	head, err := tr.head()
	if err != nil {
		return "", err
	}
	cond := fmt.Sprintf("IF CONNECTION_ID() <> %d OR %s IS NULL %s THEN\n", g.connID, g.secret, guardMarker)
	return "CREATE OR REPLACE " + head + cond + tr.Body + guardTail, nil
}

// head is the trigger's statement between CREATE and its body.
func (tr Trigger) head() (string, error) {
	if !strings.HasSuffix(tr.Statement, tr.Body) || !strings.HasPrefix(strings.ToUpper(tr.Statement), "CREATE ") {
		return "", fmt.Errorf("trigger %q on %q: cannot find its body in SHOW CREATE TRIGGER; drop it for the restore by hand, or restore without it", tr.Name, tr.Table)
	}
	return tr.Statement[len("CREATE ") : len(tr.Statement)-len(tr.Body)], nil
}

// Guarded reports whether a trigger body carries a restore guard, this
// version's or the old one.
func Guarded(body string) bool {
	return strings.HasPrefix(body, oldGuardHead) || strings.Contains(body, guardMarker) ||
		strings.Contains(body, oldGuardVar)
}

// guardConn is the connection a guard lets pass; ok is false for the old
// guard, which names none.
func guardConn(body string) (int64, bool) {
	m := guardHead.FindStringSubmatch(body)
	if m == nil {
		return 0, false
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	return n, err == nil
}

// unwrap is the body inside a guard; ok is false when body is not exactly
// a guard lifeboat wrote.
func unwrap(body string) (string, bool) {
	if !strings.HasSuffix(body, guardTail) {
		return "", false
	}
	inner := strings.TrimSuffix(body, guardTail)
	if m := guardHead.FindString(inner); m != "" {
		return inner[len(m):], true
	}
	if rest, ok := strings.CutPrefix(inner, oldGuardHead); ok {
		return rest, true
	}
	return "", false
}

// Unguarded is the trigger as it was before a restore guarded it. ok is
// false when it is guarded in a way lifeboat cannot undo exactly.
func (tr Trigger) Unguarded() (Trigger, bool) {
	if !Guarded(tr.Body) {
		return tr, true
	}
	inner, ok := unwrap(tr.Body)
	if !ok || !strings.HasSuffix(tr.Statement, tr.Body) {
		return tr, false
	}
	out := tr
	out.Statement = strings.TrimSuffix(tr.Statement, tr.Body) + inner
	out.Body = inner
	return out, !Guarded(inner)
}
