package dump

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lifeboat-dev/lifeboat/engine/testdb"
)

// TestChecksumsInTheSnapshotAndOnlyOfSmallTables: the dump records each
// InnoDB table's CHECKSUM TABLE as of its snapshot (equal to the table's
// now, as nothing wrote since), none for MyISAM, and none for a table over
// checksumMaxBytes, which it names in a note instead of reading it twice.
func TestChecksumsInTheSnapshotAndOnlyOfSmallTables(t *testing.T) {
	ctx := context.Background()
	d := testdb.New(t)
	d.MustExec(t, "CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB",
		"INSERT INTO a VALUES (1,'x'),(2,'y')",
		"CREATE TABLE m (id INT PRIMARY KEY) ENGINE=MyISAM", "INSERT INTO m VALUES (1)")
	var buf bytes.Buffer
	res, err := dumpTo(t, ctx, d.Server.Config(d.Name), d.Name, 1, &buf)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	var want uint64
	if err := d.QueryRow("CHECKSUM TABLE a").Scan(&name, &want); err != nil {
		t.Fatal(err)
	}
	if got, ok := res.Checksums["a"]; !ok || got != want {
		t.Fatalf("checksum of a: %d (%v), want %d", got, ok, want)
	}
	if _, ok := res.Checksums["m"]; ok {
		t.Fatal("a MyISAM table got a checksum, though it has no snapshot")
	}

	defer func(old int64) { checksumMaxBytes = old }(checksumMaxBytes)
	checksumMaxBytes = 1 // every table is "big"
	buf.Reset()
	res, err = dumpTo(t, ctx, d.Server.Config(d.Name), d.Name, 1, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Checksums) != 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "1 table over 1 bytes gets no checksum") {
		t.Fatalf("over the size limit: checksums %v, notes %q", res.Checksums, res.Notes)
	}
}
