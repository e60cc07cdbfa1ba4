package engine

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestIssue13Item2DriverLogIsRouted kills the engine's idle connection on
// a real server, as a server restart does: the driver's "closing bad idle
// connection" line goes to the route the screen set, not to stderr.
func TestIssue13Item2DriverLogIsRouted(t *testing.T) {
	d := testdb.New(t)
	e := backupEngine(t, d, "gzip")
	ctx := context.Background()
	if _, err := e.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lines []string
	restore := RouteDriverLog(func(l string) { mu.Lock(); lines = append(lines, l); mu.Unlock() })
	defer restore()

	root, err := d.Server.Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	ids, err := queryStrings(ctx, root, "SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()", d.Name)
	if err != nil || len(ids) == 0 {
		t.Fatalf("the engine's connection is not in the processlist: %v %v", ids, err)
	}
	for _, id := range ids {
		root.Exec("KILL " + id)
	}
	if _, err := e.Ping(ctx); err != nil {
		t.Fatalf("the pool did not reconnect: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(strings.Join(lines, "\n"), "closing bad idle connection") {
		t.Fatalf("the driver's line did not reach the route: %q", lines)
	}
}
